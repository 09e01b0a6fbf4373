using OrleansRaft.Kv;

namespace OrleansRaft.Grains.Kv;

/// <summary>
/// The replicated session table: per client, the results of its most recent writes by sequence number,
/// so that a retried write is answered with its original result instead of being applied again.
/// Everything here is a function of the applied log, identical on every replica.
/// </summary>
internal sealed class KvSessions
{
    /// <summary>Writes remembered per client: a client may have at most this many writes in flight.</summary>
    public const int WindowPerClient = 256;

    private readonly Dictionary<string, SortedDictionary<long, KvResult>> _clients = new(StringComparer.Ordinal);

    public int ClientCount => _clients.Count;

    /// <summary>Looks up a write already applied. Returns false when it is new. A write older than the
    /// client's window can no longer be told apart from a new one: it is refused, never re-applied.</summary>
    public bool TryGetResult(RequestId request, out KvResult result)
    {
        result = default;
        if (!_clients.TryGetValue(request.ClientId, out var window)) return false;
        if (window.TryGetValue(request.Sequence, out result)) return true;
        if (window.Count >= WindowPerClient && request.Sequence < window.Keys.First())
        {
            result = new KvResult(KvStatus.InvalidArgument, $"request {request.Sequence} is older than the session window of client '{request.ClientId}'");
            return true;
        }
        return false;
    }

    public void Record(RequestId request, KvResult result)
    {
        if (!_clients.TryGetValue(request.ClientId, out var window))
            _clients[request.ClientId] = window = [];
        window[request.Sequence] = result;
        while (window.Count > WindowPerClient) window.Remove(window.Keys.First());
    }
}
