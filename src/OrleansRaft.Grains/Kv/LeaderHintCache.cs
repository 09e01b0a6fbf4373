using System.Collections.Concurrent;

namespace OrleansRaft.Grains.Kv;

/// <summary>The last known leader of each group, shared by all facade activations of a silo so that one
/// redirect teaches them all.</summary>
internal sealed class LeaderHintCache
{
    private readonly ConcurrentDictionary<string, string> _leaders = new(StringComparer.Ordinal);

    public string? Get(string group) => _leaders.TryGetValue(group, out var leader) ? leader : null;

    public void Set(string group, string? leader)
    {
        if (leader is null) _leaders.TryRemove(group, out _);
        else _leaders[group] = leader;
    }

    /// <summary>Forgets <paramref name="leader"/> only if it is still the cached one (another call may have learned better).</summary>
    public void Forget(string group, string leader) =>
        _leaders.TryRemove(new KeyValuePair<string, string>(group, leader));
}
