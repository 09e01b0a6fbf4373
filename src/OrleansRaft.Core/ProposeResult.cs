namespace OrleansRaft.Core;

/// <summary>Why a proposal or read was not accepted.</summary>
public enum RejectReason : byte
{
    None = 0,

    /// <summary>This node is not the leader; <see cref="ProposeResult.LeaderHint"/> names the leader it knows of, if any.</summary>
    NotLeader = 1,

    /// <summary>Accepting it would exceed <see cref="RaftConfig.MaxUncommittedBytes"/>: back off until entries commit.</summary>
    UncommittedLimitExceeded = 2,

    /// <summary>The command alone is larger than <see cref="RaftConfig.MaxEntryBytes"/>.</summary>
    EntryTooLarge = 3,
}

/// <summary>The outcome of <see cref="RaftNode.Propose"/>.</summary>
/// <remarks>An accepted proposal is not yet committed: it is applied when an entry with this
/// <see cref="Index"/> and <see cref="Term"/> appears in <see cref="Ready.CommittedEntries"/>. If an entry with
/// the same index but another term is committed instead, the proposal was lost and will never apply.</remarks>
public readonly record struct ProposeResult(RejectReason Reason, long Index, long Term, string? LeaderHint)
{
    public bool Accepted => Reason == RejectReason.None;

    internal static ProposeResult Ok(long index, long term) => new(RejectReason.None, index, term, null);

    internal static ProposeResult Rejected(RejectReason reason, string? leader) => new(reason, 0, 0, leader);
}

/// <summary>The outcome of <see cref="RaftNode.ReadIndex"/>. When accepted, the read is released later
/// through <see cref="Ready.ReadStates"/> or <see cref="Ready.AbortedReads"/> with the same context.</summary>
public readonly record struct ReadIndexResult(RejectReason Reason, string? LeaderHint)
{
    public bool Accepted => Reason == RejectReason.None;
}
