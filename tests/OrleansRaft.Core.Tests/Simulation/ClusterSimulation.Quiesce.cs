using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>Quiescence in the simulation: the hosts' membership wake-up, and counts that show the runs went quiet.</summary>
internal sealed partial class ClusterSimulation
{
    private readonly HashSet<PeerActivation> _quiet = [];
    private int _quiesced;
    private int _wakeUps;

    /// <summary>A peer's host crashed or came back: after the plan's delay (Orleans' failure detection), the hosts of the
    /// peers still up see the membership change and wake their peers, as <c>RaftPeerGrain</c> does.</summary>
    private void AfterMembershipChange(SimPeer changed)
    {
        if (_options.Quiesce is not { } plan) return;
        _queue.After(plan.MembershipDelay, () =>
        {
            foreach (var peer in _peers)
            {
                if (peer == changed) continue;
                foreach (var activation in peer.Activations)
                {
                    if (activation.Node is not { IsQuiescent: true } node) continue;
                    node.Wake();
                    _wakeUps++;
                }
            }
        });
    }

    private void CountQuiescence(PeerActivation activation, RaftNode node)
    {
        if (!node.IsQuiescent)
        {
            _quiet.Remove(activation);
            return;
        }
        if (!_quiet.Add(activation)) return;
        if (node.Role != RaftRole.Leader) return;
        _quiesced++;
        _trace.Add($"{activation.Name} quiesced the group at {node.LastIndex}@{node.LastTerm} in term {node.Term}");
        var calmAt = (long)(_options.Ticks - _options.CalmTicks) * VirtualTime.Tick;
        if (_nemesis is null || _queue.Now >= calmAt || _random.NextDouble() >= _options.Quiesce!.IsolateQuietLeader) return;
        var leader = activation.Peer;
        foreach (var peer in _peers)
            if (peer != leader) _network.Cut(leader.Id, peer.Id);
        _trace.Add($"isolate quiet leader {leader.Id}; its host is declared dead");
        AfterMembershipChange(leader);
    }
}
