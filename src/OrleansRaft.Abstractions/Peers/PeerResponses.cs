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
    [property: Id(8)] long LastIndex);
