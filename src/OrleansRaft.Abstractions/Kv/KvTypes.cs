using OrleansRaft.Peers;

namespace OrleansRaft.Kv;

/// <summary>How fresh a read must be.</summary>
[GenerateSerializer, Alias("OrleansRaft.ReadConsistency")]
public enum ReadConsistency : byte
{
    /// <summary>Reflects every write acknowledged before the read began (ReadIndex through the leader).</summary>
    Linearizable = 0,

    /// <summary>Served from whatever one peer has applied: may miss recent writes, never shows uncommitted ones.</summary>
    Stale = 1,
}

/// <summary>Identifies a write for exactly-once retries: the same client and sequence number is applied once.</summary>
/// <param name="LowestUnanswered">The lowest sequence number of this client still waiting for an answer (this
/// one included), or 0 if the client does not track it. The group forgets the results below it (the client
/// promises never to retry those), and refuses a write more than <see cref="KvLimits.MaxWritesInFlightPerClient"/>
/// above it.</param>
[GenerateSerializer, Immutable, Alias("OrleansRaft.RequestId")]
public sealed record RequestId([property: Id(0)] string ClientId, [property: Id(1)] long Sequence, [property: Id(2)] long LowestUnanswered = 0);

/// <summary>Outcome of a KV call. Errors are values, not exceptions, so every caller can map them.</summary>
[GenerateSerializer, Alias("OrleansRaft.KvStatus")]
public enum KvStatus : byte
{
    Ok = 0,
    NotFound = 1,
    Swapped = 2,
    NotSwapped = 3,

    /// <summary>The request broke a documented limit or rule (empty key, key or value too large); nothing applied.</summary>
    InvalidArgument = 10,

    /// <summary>No answer within the deadline: a write may or may not have been applied.</summary>
    Timeout = 11,

    /// <summary>The group could not serve the request (no leader reachable); a write was not applied.</summary>
    Unavailable = 12,

    /// <summary>No Raft group of that name is configured.</summary>
    UnknownGroup = 13,

    /// <summary>A capacity limit (uncommitted bytes, requests in flight) refused it; nothing applied. Retry later.</summary>
    LimitExceeded = 14,
}

[GenerateSerializer, Immutable, Alias("OrleansRaft.KvResponse")]
public sealed record KvResponse(
    [property: Id(0)] KvStatus Status,
    [property: Id(1)] string? Value = null,
    [property: Id(2)] string? Error = null,
    [property: Id(3)] long Index = 0)
{
    public bool IsError => Status >= KvStatus.InvalidArgument;
}

/// <param name="Keys">The peer id of each entry (the members the facade knows of; null from older silos, whose
/// entries are the bootstrap peers in index order).</param>
[GenerateSerializer, Immutable, Alias("OrleansRaft.PeerStatusList")]
public sealed record PeerStatusList([property: Id(0)] string Group, [property: Id(1)] PeerStatus?[] Peers, [property: Id(2)] string?[] Errors,
    [property: Id(3)] string[]? Keys = null);
