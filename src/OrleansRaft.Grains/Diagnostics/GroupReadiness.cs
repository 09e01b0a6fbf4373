using OrleansRaft.Core;
using OrleansRaft.Grains.Directory;
using OrleansRaft.Hosting;

namespace OrleansRaft.Grains.Diagnostics;

/// <summary>Whether this silo serves: every group it hosts a peer of has a leader that peer can reach, and none of its
/// peers is fenced or refused (a peer that refused to start or was fenced publishes no fresh snapshot).</summary>
public sealed class GroupReadiness
{
    /// <summary>A peer ticks every 25 ms by default and publishes every tick: a snapshot this old means it stopped.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(5);

    private readonly RaftGroupRegistry _groups;
    private readonly PeerActivity _activity;
    private readonly PeerLocator _locator;
    private readonly ILocalSiloDetails _silo;

    internal GroupReadiness(RaftGroupRegistry groups, PeerActivity activity, PeerLocator locator, ILocalSiloDetails silo)
    {
        _groups = groups;
        _activity = activity;
        _locator = locator;
        _silo = silo;
    }

    /// <summary>One line per problem, empty when ready.</summary>
    public IReadOnlyList<string> Problems()
    {
        var now = _activity.Clock.GetUtcNow();
        var peers = _activity.Peers;
        var problems = new List<string>();
        foreach (var group in _groups.Names.Order(StringComparer.Ordinal))
        {
            var local = peers.Where(p => p.Group == group).ToList();
            var expected = _groups.TryGet(group, out var options) && options.PeerNodes.Contains(_silo.Name, StringComparer.Ordinal);
            if (local.Count == 0)
            {
                if (expected) problems.Add($"{group}: no peer of this node is running (refused to start, fenced, or not activated yet)");
                continue;
            }
            foreach (var peer in local) Check(peer, now, problems);
        }
        return problems;
    }

    private void Check(PeerSnapshot peer, DateTimeOffset now, List<string> problems)
    {
        if (now - peer.Taken > StaleAfter)
            problems.Add($"{peer.Peer}: no tick for {(now - peer.Taken).TotalSeconds:0} s (fenced or stuck)");
        else if (peer.Leader is not { } leader)
            problems.Add($"{peer.Peer}: no leader in term {peer.Term} ({peer.Role})");
        else if (peer.Role != RaftRole.Leader && _locator.HostOf(leader, out _) is null)
            problems.Add($"{peer.Peer}: its leader {leader} has no active silo");
    }
}
