using OrleansRaft.Kv;

namespace OrleansRaft.Client;

/// <summary>
/// The client half of exactly-once writes: a random client id and a sequence number that grows with every
/// write. Every attempt of one write carries the same <see cref="RequestId"/>, so the replicated session
/// table applies it once however often it is retried. One session is shared by all groups of a client;
/// each group sees a sequence with gaps, which the session table allows (it only needs them to be unique).
/// Each id also carries the lowest sequence still unanswered, so the group can forget older results.
/// </summary>
public sealed class RaftKvSession
{
    private readonly Lock _lock = new();
    private readonly SortedSet<long> _unanswered = [];
    private long _sequence;

    public RaftKvSession() : this(Guid.NewGuid().ToString("N")) { }

    internal RaftKvSession(string clientId) => ClientId = clientId;

    public string ClientId { get; }

    /// <summary>The id of a new write. Call once per write, not once per attempt, and <see cref="Answered"/> when
    /// the write has its final answer (or is abandoned).</summary>
    public RequestId NextRequestId()
    {
        lock (_lock)
        {
            var sequence = ++_sequence;
            _unanswered.Add(sequence);
            return new RequestId(ClientId, sequence, _unanswered.Min);
        }
    }

    /// <summary>The write will not be retried any more: the group may forget its result.</summary>
    public void Answered(RequestId request)
    {
        lock (_lock) _unanswered.Remove(request.Sequence);
    }
}
