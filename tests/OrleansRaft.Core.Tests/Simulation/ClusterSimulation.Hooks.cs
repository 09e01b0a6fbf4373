using OrleansRaft.Core.Tests.Simulation.Clients;
using OrleansRaft.Core.Tests.Simulation.Faults;
using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Invariants;
using OrleansRaft.Core.Tests.Simulation.Kv;
using OrleansRaft.Core.Tests.Simulation.Network;
using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>The simulation as seen by its parts: peers report to it, clients send through it, the nemesis drives it.</summary>
internal sealed partial class ClusterSimulation : IPeerObserver, IKvTransport, IClusterControl
{
    // Client requests and answers travel over their own links, as fast as peer traffic on a good day.
    private static readonly NetworkConditions ClientLink = NetworkConditions.Reliable;

    void IPeerObserver.OnStarted(PeerActivation activation)
    {
        _roles[activation.Name] = (RaftRole.Follower, activation.Node!.Term);
        if (activation.Peer.HasDuplicates)
            _trace.Add($"{activation.Name} loaded beside {string.Join(",", activation.Peer.Activations.Where(a => a != activation))}: {activation.Peer.Storage.Describe()}");
        if (_options.CheckSafety) _checker.OnStarted(activation);
    }

    void IPeerObserver.OnChanged(PeerActivation activation, long changedFrom)
    {
        if (_options.CheckSafety) _checker.OnChanged(activation, changedFrom);
        if (IsCurrent(activation)) _nemesis?.OnChanged(activation.Peer);
        var node = activation.Node!;
        if (Membership is not null) OnChangedMembership(activation, node);
        if (_options.Quiesce is not null) CountQuiescence(activation, node);
        if (_roles.TryGetValue(activation.Name, out var was) && was.Role == node.Role && was.Term == node.Term) return;
        _roles[activation.Name] = (node.Role, node.Term);
        if (node.Role != RaftRole.Follower || was.Role == RaftRole.Leader)
            _trace.Add($"{activation.Name} {node.Role} in term {node.Term} (last {node.LastIndex}@{node.LastTerm}, commit {node.CommitIndex})");
    }

    void IPeerObserver.OnReadyStarted(PeerActivation activation, Ready ready)
    {
        if (_options.CheckReadyContract) ReadyContractChecker.CheckEarlyMessages(activation, ready);
        if (_options.CheckSafety && ready.MessagesMayPrecedePersist) _checker.OnSending(activation, ready);
    }

    void IPeerObserver.OnPersisted(PeerActivation activation, Ready ready, HardState before)
    {
        if (_options.CheckSafety) _checker.OnPersisted(activation, ready);
        if (IsCurrent(activation)) _nemesis?.OnPersisted(activation.Peer, ready, before);
    }

    void IPeerObserver.OnApplied(PeerActivation activation, Entry entry)
    {
        if (_options.CheckSafety) _checker.OnApplied(activation, entry);
        if (Membership is not null) OnAppliedMembership(entry);
    }

    void IPeerObserver.OnSnapshot(PeerActivation activation, Snapshot snapshot, SnapshotEvent what)
    {
        _trace.Add($"{activation.Name} {what.ToString().ToLowerInvariant()} {snapshot}");
        if (what == SnapshotEvent.Taken) _snapshotsTaken++;
        else if (what == SnapshotEvent.Installed) _snapshotsInstalled++;
        if (_options.CheckSafety) _checker.OnSnapshot(activation, snapshot, what);
    }

    void IPeerObserver.OnStopped(PeerActivation activation, ActivationEnd how)
    {
        _roles.Remove(activation.Name);
        if (_options.CheckSafety) _checker.OnStopped(activation);
        if (how is ActivationEnd.Crashed or ActivationEnd.Decommissioned) return;
        _trace.Add(how == ActivationEnd.Fenced
            ? $"{activation.Name} FENCED: its write of {activation.Store.Conflict} was refused; it sends and answers nothing more"
            : $"{activation.Name} retired");
        if (how == ActivationEnd.Fenced) _fenced++;
        if (how != ActivationEnd.Fenced || !activation.EndedAsCurrent) return;
        // The runtime activates the peer again on its next message: a new activation reloads from the store.
        var peer = activation.Peer;
        _queue.After(VirtualTime.Ms(1 + _random.Next(20)), () =>
        {
            if (peer.IsUp || peer.Decommissioned) return;
            _trace.Add($"{peer.Id} reactivated after a fence: {peer.Storage.Describe()}");
            peer.Start();
        });
    }

    IReadOnlyList<string> IKvTransport.Peers => _liveIds;

    // A request lands on the activation the runtime routes it to when it arrives (one of them, while there are two).
    void IKvTransport.SendWrite(string peer, KvCommand command, Action<KvReply> onReply) =>
        _queue.After(ClientLink.DrawDelay(_random), () =>
        {
            if (_byId[peer].Route()?.Application is KvServer server)
                server.HandleWrite(command, reply => _queue.After(ClientLink.DrawDelay(_random), () => onReply(reply)));
        });

    void IKvTransport.SendRead(string peer, string key, long context, Action<KvReply> onReply) =>
        _queue.After(ClientLink.DrawDelay(_random), () =>
        {
            if (_byId[peer].Route()?.Application is KvServer server)
                server.HandleRead(key, context, reply => _queue.After(ClientLink.DrawDelay(_random), () => onReply(reply)));
        });

    EventQueue IClusterControl.Queue => _queue;

    Random IClusterControl.Random => _random;

    SimNetwork IClusterControl.Network => _network;

    IReadOnlyList<SimPeer> IClusterControl.Peers => _live;

    SimPeer? IClusterControl.Leader =>
        _peers.Where(p => p.Node is { Role: RaftRole.Leader }).OrderByDescending(p => p.Node!.Term).FirstOrDefault();

    void IClusterControl.Crash(SimPeer peer, bool tornWrite, bool loseOutgoing, string why)
    {
        _crashes++;
        _trace.Add($"{peer.Id} CRASH ({why}{(tornWrite && peer.Writing is not null ? ", write torn" : "")}{(loseOutgoing ? ", messages on the wire lost" : "")})");
        if (loseOutgoing) _network.Detach(peer.Id);
        peer.Crash(tornWrite);
        AfterMembershipChange(peer);
    }

    void IClusterControl.Restart(SimPeer peer)
    {
        if (peer.Decommissioned) return;
        var durable = peer.Storage.HardState;
        _trace.Add($"{peer.Id} restart (term {durable.Term}, vote {durable.Vote ?? "-"}, commit {durable.Commit}, log {peer.Storage.LastIndex})");
        _network.Attach(peer.Id);
        peer.Start();
        AfterMembershipChange(peer);
    }

    void IClusterControl.StartDuplicate(
        SimPeer peer, long loadAfter, long retireAfter, IReadOnlySet<string> olderCutOffFrom, IReadOnlySet<string> newerCutOffFrom)
    {
        _duplicates++;
        var activation = peer.StartDuplicate(loadAfter, olderCutOffFrom, newerCutOffFrom);
        static string Names(IReadOnlySet<string> peers) => string.Join(",", peers.Order(StringComparer.Ordinal));
        _trace.Add($"{activation.Name} activated beside {string.Join(",", peer.Activations.Where(a => a != activation))}" +
                   (olderCutOffFrom.Count + newerCutOffFrom.Count > 0
                       ? $" (split: the older one reaches [{Names(newerCutOffFrom)}], the newer one [{Names(olderCutOffFrom)}])" : "") +
                   (_options.Fencing.Claim ? $" (claims the peer row: seq {peer.Storage.Peer.Value.Sequence})" : "") +
                   $", loads in {VirtualTime.Format(loadAfter)}; the older one retires {VirtualTime.Format(retireAfter)} later");
        // Not subject to the calm: the runtime resolves the duplicate on its own time.
        _queue.After(loadAfter + retireAfter, () => RetireDuplicates(peer));
    }

    void IClusterControl.RetireDuplicates(SimPeer peer) => RetireDuplicates(peer);

    private void RetireDuplicates(SimPeer peer)
    {
        var torn = _options.Faults?.TornWrite ?? 0;
        peer.RetireOthers(() => torn > 0 && _random.NextDouble() < torn);
    }

    void IClusterControl.Trace(string text) => _trace.Add(text);
}
