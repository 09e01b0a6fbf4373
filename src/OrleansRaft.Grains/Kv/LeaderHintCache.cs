using System.Collections.Concurrent;

namespace OrleansRaft.Grains.Kv;

/// <summary>The last known leader of each group, shared by all facade activations of a silo so that one
/// redirect teaches them all. The peers hosted on the silo also report every leader they learn, with its term,
/// so that a facade waiting on a leader that died moves on as soon as the group has elected another, instead of
/// waiting for a call to a dead silo to time out.</summary>
internal sealed class LeaderHintCache
{
    private readonly ConcurrentDictionary<string, string> _leaders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LeaderNews> _news = new(StringComparer.Ordinal);

    public string? Get(string group) => _leaders.TryGetValue(group, out var leader) ? leader : null;

    public void Set(string group, string? leader)
    {
        if (leader is null) _leaders.TryRemove(group, out _);
        else _leaders[group] = leader;
    }

    /// <summary>Forgets <paramref name="leader"/> only if it is still the cached one (another call may have learned better).</summary>
    public void Forget(string group, string leader) =>
        _leaders.TryRemove(new KeyValuePair<string, string>(group, leader));

    /// <summary>A peer of this silo learned that <paramref name="leader"/> leads <paramref name="term"/>. News of an
    /// older or the same term changes nothing; news of a newer one becomes the hint and wakes
    /// <see cref="NextLeaderChange"/>.</summary>
    public void Observe(string group, string leader, long term)
    {
        var news = _news.GetOrAdd(group, _ => new LeaderNews());
        TaskCompletionSource changed;
        lock (news)
        {
            if (term <= news.Term) return;
            news.Term = term;
            changed = news.Changed;
            news.Changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _leaders[group] = leader;
        }
        changed.TrySetResult();
    }

    /// <summary>Completes when a local peer next reports a leader of a newer term.</summary>
    public Task NextLeaderChange(string group)
    {
        var news = _news.GetOrAdd(group, _ => new LeaderNews());
        lock (news) return news.Changed.Task;
    }

    private sealed class LeaderNews
    {
        public long Term;
        public TaskCompletionSource Changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
