using OrleansRaft.Kv;

namespace OrleansRaft.Grains.Kv;

/// <summary>
/// The replicated session table (Raft thesis §6.3): per client, the results of its unanswered writes, so that a
/// retried write is answered with its original result instead of being applied again. Every decision is a
/// function of the applied log only (sequence numbers, the client's own lowest-unanswered mark, and log
/// indexes for expiry), so all replicas agree.
/// </summary>
internal sealed class KvSessions(long expiryEntries)
{
    /// <summary>How often (in log entries) idle sessions are swept.</summary>
    public const int SweepEvery = 1024;

    private sealed class Session
    {
        public SortedDictionary<long, KvResult> Results { get; } = [];

        /// <summary>Writes below this were answered: the client promised never to retry them.</summary>
        public long Floor { get; set; } = 1;

        public long LastActiveIndex { get; set; }
    }

    private readonly Dictionary<string, Session> _clients = new(StringComparer.Ordinal);

    /// <summary>One client's session as a snapshot holds it.</summary>
    internal sealed record SessionState(string ClientId, long Floor, long LastActiveIndex, IReadOnlyList<(long Sequence, KvResult Result)> Results);

    public int ClientCount => _clients.Count;

    /// <summary>Decides a write before it is applied: returns a result to answer with (a cached one, or a refusal),
    /// or null when the write is new and must be applied, then recorded with <see cref="Record"/>.</summary>
    public KvResult? Admit(RequestId request, long index)
    {
        // An unknown client starts a session. A forgotten one cannot be told from a new one, so expiry must be far
        // longer than any client retries one write: a client gives up a write after its operation timeout
        // (seconds), while the default horizon is a million log entries.
        if (!_clients.TryGetValue(request.ClientId, out var session)) return null;
        session.LastActiveIndex = index;
        if (request.LowestUnanswered > session.Floor)
        {
            session.Floor = request.LowestUnanswered;
            while (session.Results.Count > 0 && session.Results.Keys.First() < session.Floor)
                session.Results.Remove(session.Results.Keys.First());
        }
        if (session.Results.TryGetValue(request.Sequence, out var previous)) return previous;
        if (request.Sequence < session.Floor || (session.Results.Count > 0 && request.Sequence < session.Results.Keys.First() && request.LowestUnanswered == 0))
            return new KvResult(KvStatus.InvalidArgument, $"write {request.Sequence} of client '{request.ClientId}' was answered already; a late duplicate is not applied again");
        if (request.LowestUnanswered > 0 && request.Sequence - session.Floor >= KvLimits.MaxWritesInFlightPerClient)
            return new KvResult(KvStatus.LimitExceeded, $"client '{request.ClientId}' has more than {KvLimits.MaxWritesInFlightPerClient} writes unanswered ({nameof(KvLimits)}.{nameof(KvLimits.MaxWritesInFlightPerClient)})");
        return null;
    }

    public void Record(RequestId request, long index, KvResult result)
    {
        if (!_clients.TryGetValue(request.ClientId, out var session))
            _clients[request.ClientId] = session = new Session { Floor = Math.Max(1, request.LowestUnanswered) };
        session.LastActiveIndex = index;
        session.Results[request.Sequence] = result;
        // A client that does not report its lowest unanswered write gets a bounded window instead.
        while (session.Results.Count > KvLimits.MaxWritesInFlightPerClient) session.Results.Remove(session.Results.Keys.First());
    }

    /// <summary>Forgets sessions idle for the expiry horizon; runs at fixed log positions so every replica sweeps alike.</summary>
    public void Sweep(long index)
    {
        if (index % SweepEvery != 0) return;
        var horizon = index - expiryEntries;
        List<string>? idle = null;
        foreach (var (client, session) in _clients)
            if (session.LastActiveIndex < horizon) (idle ??= []).Add(client);
        foreach (var client in idle ?? []) _clients.Remove(client);
    }

    /// <summary>Every session, in client order (a snapshot's encoding must not depend on insertion order).</summary>
    public IEnumerable<SessionState> Export() =>
        _clients.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new SessionState(c.Key, c.Value.Floor, c.Value.LastActiveIndex, [.. c.Value.Results.Select(r => (r.Key, r.Value))]));

    /// <summary>Replaces every session with a snapshot's.</summary>
    public void Import(IEnumerable<SessionState> sessions)
    {
        _clients.Clear();
        foreach (var state in sessions)
        {
            var session = new Session { Floor = state.Floor, LastActiveIndex = state.LastActiveIndex };
            foreach (var (sequence, result) in state.Results) session.Results[sequence] = result;
            _clients[state.ClientId] = session;
        }
    }
}
