using System.Collections.Concurrent;
using OrleansRaft.Hosting;
using OrleansRaft.Peers;

namespace OrleansRaft.Grains.Membership;

/// <summary>The latest configuration of each group that this silo has heard of: from its own peers (after every Ready
/// that changed theirs) and from the leader's answers to the facade. The facade routes to these members; a silo that
/// has heard of no change uses the group's bootstrap peers. Only a routing aid: the log is the truth, and a peer that
/// is not the leader names the one it knows.</summary>
internal sealed class GroupConfigurationCache(RaftGroupRegistry groups)
{
    private readonly ConcurrentDictionary<string, Known> _known = new(StringComparer.Ordinal);

    private sealed record Known(long Index, string[] Members);

    /// <summary>Records the configuration made by the change at <paramref name="index"/>, unless a later one is known.</summary>
    public void Observe(string group, long index, IEnumerable<string> voters, IEnumerable<string> learners)
    {
        var next = new Known(index, [.. voters.Concat(learners)]);
        _known.AddOrUpdate(group, next, (_, known) => index >= known.Index ? next : known);
    }

    /// <summary>The members to route to: the latest configuration heard of, or the bootstrap peers.</summary>
    public string[] MembersOf(string group)
    {
        if (_known.TryGetValue(group, out var known) && known.Members.Length > 0) return known.Members;
        return groups.TryGet(group, out var options) ? PeerKey.AllOf(group, options.Peers) : [];
    }
}
