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

    /// <summary>A leadership transfer is under way: proposals wait until it completes or aborts (one election timeout).</summary>
    TransferInProgress = 4,

    /// <summary>A membership change is appended but not yet committed: one change at a time.</summary>
    ConfigChangePending = 5,

    /// <summary>A new leader has not yet committed an entry of its own term, so it cannot start a membership change
    /// (the single-server change bug of raft-dev, 2015); retry in a moment.</summary>
    LeaderNotReady = 6,

    /// <summary>The membership change does not fit the configuration (<see cref="ProposeResult.Detail"/> says why).</summary>
    InvalidConfigChange = 7,

    /// <summary>The learner to promote lags too far behind the leader (<see cref="RaftConfig.MaxPromotionLagEntries"/>).</summary>
    LearnerBehind = 8,

    /// <summary>After the change, the voters the leader hears from would not be a majority: the group would stop.</summary>
    WouldLoseQuorum = 9,

    /// <summary>Leadership can only go to a voter of the configuration (<see cref="ProposeResult.Detail"/> says why).</summary>
    InvalidTransferTarget = 10,
}

/// <summary>The outcome of <see cref="RaftNode.Propose"/>.</summary>
/// <remarks>An accepted proposal is not yet committed: it is applied when an entry with this
/// <see cref="Index"/> and <see cref="Term"/> appears in <see cref="Ready.CommittedEntries"/>. If an entry with
/// the same index but another term is committed instead, the proposal was lost and will never apply.</remarks>
/// <param name="Detail">For a rejection that needs one, what exactly was wrong (which peer, how far behind).</param>
public readonly record struct ProposeResult(RejectReason Reason, long Index, long Term, string? LeaderHint, string? Detail = null)
{
    public bool Accepted => Reason == RejectReason.None;

    internal static ProposeResult Ok(long index, long term) => new(RejectReason.None, index, term, null);

    internal static ProposeResult Rejected(RejectReason reason, string? leader, string? detail = null) => new(reason, 0, 0, leader, detail);
}

/// <summary>The outcome of <see cref="RaftNode.ReadIndex"/>. When accepted, the read is released later
/// through <see cref="Ready.ReadStates"/> or <see cref="Ready.AbortedReads"/> with the same context.</summary>
public readonly record struct ReadIndexResult(RejectReason Reason, string? LeaderHint)
{
    public bool Accepted => Reason == RejectReason.None;
}
