using System.Collections.Concurrent;

namespace OrleansRaft.Hosting.Nodes;

/// <summary>The peers active on this silo (registered by each activation that started), so that a stopping silo
/// knows whose leadership to hand over.</summary>
internal sealed class LocalPeers
{
    private readonly ConcurrentDictionary<string, byte> _peers = new(StringComparer.Ordinal);

    public void Add(string peer) => _peers[peer] = 0;

    public void Remove(string peer) => _peers.TryRemove(peer, out _);

    public IReadOnlyCollection<string> All => [.. _peers.Keys];
}
