using OrleansRaft.Kv;

namespace OrleansRaft.Client;

/// <summary>
/// The client half of exactly-once writes: a random client id and a sequence number that grows with every
/// write. Every attempt of one write carries the same <see cref="RequestId"/>, so the replicated session
/// table applies it once however often it is retried. One session is shared by all groups of a client;
/// each group sees a sequence with gaps, which the session table allows (it only needs them to be unique).
/// </summary>
public sealed class RaftKvSession
{
    private long _sequence;

    public RaftKvSession() : this(Guid.NewGuid().ToString("N")) { }

    internal RaftKvSession(string clientId) => ClientId = clientId;

    public string ClientId { get; }

    /// <summary>The id of a new write. Call once per write, not once per attempt.</summary>
    public RequestId NextRequestId() => new(ClientId, Interlocked.Increment(ref _sequence));
}
