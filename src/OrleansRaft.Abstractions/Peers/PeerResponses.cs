namespace OrleansRaft.Peers;

/// <summary>How a proposal or query ended at one peer.</summary>
[GenerateSerializer, Alias("OrleansRaft.PeerOutcome")]
public enum PeerOutcome : byte
{
    /// <summary>Applied (proposal) or served linearizably (query); <c>Result</c> holds the state machine's answer.</summary>
    Ok = 0,

    /// <summary>This peer is not the leader; try <c>LeaderHint</c>. Nothing was applied.</summary>
    NotLeader = 1,

    /// <summary>Refused by flow control or size limits; nothing was applied. <c>Error</c> says which limit.</summary>
    Rejected = 2,

    /// <summary>The leader lost its term before the outcome was known: the command may or may not apply later.</summary>
    Unknown = 3,

    /// <summary>Another entry was committed at the proposal's index: it will never apply.</summary>
    Dropped = 4,

    /// <summary>The peer is stopping or its storage failed; nothing more is known.</summary>
    Unavailable = 5,

    /// <summary>The state machine could not apply or answer the command (<c>Error</c> says why). It is deterministic,
    /// so every replica fails it the same way: retrying elsewhere cannot help.</summary>
    Failed = 6,
}

[GenerateSerializer, Immutable, Alias("OrleansRaft.ProposeResponse")]
public sealed record ProposeResponse(
    [property: Id(0)] PeerOutcome Outcome,
    [property: Id(1)] byte[]? Result,
    [property: Id(2)] string? LeaderHint,
    [property: Id(3)] long Index,
    [property: Id(4)] string? Error = null);

[GenerateSerializer, Immutable, Alias("OrleansRaft.QueryResponse")]
public sealed record QueryResponse(
    [property: Id(0)] PeerOutcome Outcome,
    [property: Id(1)] byte[]? Result,
    [property: Id(2)] string? LeaderHint,
    [property: Id(3)] long Index,
    [property: Id(4)] string? Error = null);

/// <summary>A peer's view of itself, for <c>status</c>.</summary>
/// <param name="Node">The node (silo name) the peer belongs to.</param>
/// <param name="Voters">The voters of the configuration in force at this peer (the latest in its log).</param>
/// <param name="Learners">The learners of that configuration.</param>
/// <param name="ConfigIndex">Log index of the membership change that made it (0: the bootstrap configuration).</param>
/// <param name="Members">On the leader: every member with its role, match index and lag; empty elsewhere.</param>
/// <param name="LeadTransferee">On a leader handing over: the voter it hands over to.</param>
/// <param name="Vote">The peer it voted for in its current term, if any.</param>
/// <param name="Removed">The peer is not a member of the configuration it holds: it was removed and serves nothing.</param>
/// <param name="Quiescent">The group is quiet here (no heartbeats, no election timer) and the peer's timer has slowed down.</param>
[GenerateSerializer, Immutable, Alias("OrleansRaft.PeerStatus")]
public sealed record PeerStatus(
    [property: Id(0)] string Peer,
    [property: Id(1)] string Silo,
    [property: Id(2)] string Role,
    [property: Id(3)] long Term,
    [property: Id(4)] string? Leader,
    [property: Id(5)] long CommitIndex,
    [property: Id(6)] long AppliedIndex,
    [property: Id(7)] long FirstIndex,
    [property: Id(8)] long LastIndex,
    [property: Id(9)] string? Node = null,
    [property: Id(10)] string[]? Voters = null,
    [property: Id(11)] string[]? Learners = null,
    [property: Id(12)] long ConfigIndex = 0,
    [property: Id(13)] Membership.MemberInfo[]? Members = null,
    [property: Id(14)] string? LeadTransferee = null,
    [property: Id(15)] bool Removed = false,
    [property: Id(16)] string? Vote = null,
    [property: Id(17)] bool Quiescent = false);
