using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Tests.Simulation.Faults;
using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>
/// A changing membership, as an operator drives it: a peer added as a learner is a new server (a new id, never one
/// used before, empty storage, the bootstrap peer list like every other); a removed peer keeps running, perhaps
/// never learning that it was removed, until the operator shuts it down for good, a while after its removal commits
/// (at the calm at the latest), or in a third of the runs never. Peers whose addition was proposed but lost keep
/// running too: a later leader may still commit the entry that adds them.
/// </summary>
internal sealed partial class ClusterSimulation
{
    private readonly List<SimPeer> _live = [];
    private readonly List<string> _liveIds = [];
    private readonly HashSet<SimPeer> _removed = [];
    private long _configurationApplied;
    private int _added;
    private int _changesCommitted;
    private int _transfersStarted;
    private int _transfersDone;
    private (string Target, long Term)? _transfer;

    private MembershipPlan? Membership => _options.Faults?.Membership;

    /// <summary>Creates a peer of the group, watched by the checker and routed to by the network and the clients.</summary>
    private SimPeer CreatePeer(string id)
    {
        var peer = new SimPeer(id, _services, _options.SegmentEntries);
        _peers.Add(peer);
        _byId[id] = peer;
        _live.Add(peer);
        _liveIds.Add(id);
        _checker.Register(peer);
        return peer;
    }

    /// <summary>Starts a peer's timer: clocks tick at the same rate but out of phase, and drift per peer.</summary>
    private void StartTicking(SimPeer peer)
    {
        var phase = (long)(_random.NextDouble() * VirtualTime.Tick);
        var period = (long)(VirtualTime.Tick * (1 + _options.MaxClockDrift * (2 * _random.NextDouble() - 1)));
        _queue.After(phase, () => TickLoop(peer, period));
    }

    string IClusterControl.NextPeerId => $"n{_peers.Count + 1}";

    ProposeResult IClusterControl.ProposeConfigChange(SimPeer peer, ConfigChange change, string why)
    {
        if (peer.Current is not { IsRunning: true, IsPaused: false } activation) return new ProposeResult(RejectReason.NotLeader, 0, 0, null);
        var node = activation.Node!;
        // What the leader must not do (only a planted bug lets it): change before an entry of its term committed, or
        // while an earlier change is uncommitted. Said in the trace, for the runs that catch those bugs.
        var early = node.TermAt(node.CommitIndex) != node.Term ? ", before its term's first commit" : "";
        var pending = node.ConfigurationIndex > node.CommitIndex ? $", with the change at {node.ConfigurationIndex} uncommitted" : "";
        var result = activation.ProposeConfigChange(change);
        if (!result.Accepted) return result;
        _trace.Add($"{activation.Name} appends '{change}' at {result.Index} ({why}{early}{pending}): {activation.Node?.Configuration}");
        if (change.Type == ConfigChangeType.AddLearner && !_byId.ContainsKey(change.Peer))
        {
            // The new server starts now; the leader's appends reach it after its own write, well after this.
            var added = CreatePeer(change.Peer);
            _added++;
            added.Start();
            StartTicking(added);
        }
        return result;
    }

    ProposeResult IClusterControl.TransferLeadership(SimPeer peer, string target, string why)
    {
        if (peer.Current is not { IsRunning: true, IsPaused: false } activation) return new ProposeResult(RejectReason.NotLeader, 0, 0, null);
        var term = activation.Node!.Term;
        var result = activation.TransferLeadership(target);
        if (!result.Accepted || target == peer.Id) return result;
        _transfersStarted++;
        _transfer = (target, term);
        _trace.Add($"{activation.Name} transfers leadership of term {term} to {target} ({why})");
        return result;
    }

    void IClusterControl.DecommissionRemoved()
    {
        if (Membership is { KeepRemoved: true }) return;
        foreach (var peer in _removed.ToList()) Decommission(peer, "at the calm");
    }

    /// <summary>An entry applied somewhere for the first time: a committed membership change. The peer it removed is
    /// shut down a while later.</summary>
    private void OnAppliedMembership(Entry entry)
    {
        if (entry.Type != EntryType.ConfigChange || entry.Index <= _configurationApplied) return;
        _configurationApplied = entry.Index;
        _changesCommitted++;
        var (change, result) = ConfigChangeCodec.Decode(entry.Data);
        _trace.Add($"committed at {entry.Index}: '{change}', {result}");
        if (change.Type != ConfigChangeType.Remove || Membership is { KeepRemoved: true }) return;
        if (!_byId.TryGetValue(change.Peer, out var removed) || !_removed.Add(removed)) return;
        var lifetime = (long)(_random.NextDouble() * (Membership?.RemovedLifetime ?? 0));
        _queue.After(lifetime, () => Decommission(removed, $"{VirtualTime.Format(lifetime)} after its removal committed"));
    }

    private void Decommission(SimPeer peer, string when)
    {
        if (!_removed.Remove(peer) || peer.Decommissioned) return;
        _trace.Add($"{peer.Id} DECOMMISSIONED {when}");
        peer.Decommission();
        _live.Remove(peer);
        _liveIds.Remove(peer.Id);
    }

    /// <summary>Counts a transfer done when its target leads a later term than the one it was handed from.</summary>
    private void OnChangedMembership(PeerActivation activation, RaftNode node)
    {
        if (_transfer is not { } transfer || node.Role != RaftRole.Leader || node.Term <= transfer.Term) return;
        if (activation.Id == transfer.Target) _transfersDone++;
        _transfer = null;
    }
}
