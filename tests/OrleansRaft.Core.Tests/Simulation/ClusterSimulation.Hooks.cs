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

    void IPeerObserver.OnStarted(SimPeer peer)
    {
        _roles[peer.Id] = (RaftRole.Follower, peer.Node!.Term);
        if (_options.CheckSafety) _checker.OnStarted(peer);
    }

    void IPeerObserver.OnChanged(SimPeer peer, long changedFrom)
    {
        if (_options.CheckSafety) _checker.OnChanged(peer, changedFrom);
        _nemesis?.OnChanged(peer);
        var node = peer.Node!;
        if (_roles.TryGetValue(peer.Id, out var was) && was.Role == node.Role && was.Term == node.Term) return;
        _roles[peer.Id] = (node.Role, node.Term);
        if (node.Role != RaftRole.Follower || was.Role == RaftRole.Leader)
            _trace.Add($"{peer.Id} {node.Role} in term {node.Term} (last {node.LastIndex}@{node.LastTerm}, commit {node.CommitIndex})");
    }

    void IPeerObserver.OnReadyStarted(SimPeer peer, Ready ready)
    {
        if (_options.CheckReadyContract) ReadyContractChecker.CheckEarlyMessages(peer, ready);
    }

    void IPeerObserver.OnPersisted(SimPeer peer, Ready ready, HardState before) => _nemesis?.OnPersisted(peer, ready, before);

    void IPeerObserver.OnApplied(SimPeer peer, Entry entry)
    {
        if (_options.CheckSafety) _checker.OnApplied(peer, entry);
    }

    void IPeerObserver.OnSnapshot(SimPeer peer, Snapshot snapshot, SnapshotEvent what)
    {
        _trace.Add($"{peer.Id} {what.ToString().ToLowerInvariant()} {snapshot}");
        if (what == SnapshotEvent.Taken) _snapshotsTaken++;
        else if (what == SnapshotEvent.Installed) _snapshotsInstalled++;
        if (_options.CheckSafety) _checker.OnSnapshot(peer, snapshot, what);
    }

    IReadOnlyList<string> IKvTransport.Peers => _ids;

    void IKvTransport.SendWrite(string peer, KvCommand command, Action<KvReply> onReply)
    {
        var server = (KvServer)_byId[peer].Application;
        _queue.After(ClientLink.DrawDelay(_random), () =>
            server.HandleWrite(command, reply => _queue.After(ClientLink.DrawDelay(_random), () => onReply(reply))));
    }

    void IKvTransport.SendRead(string peer, string key, long context, Action<KvReply> onReply)
    {
        var server = (KvServer)_byId[peer].Application;
        _queue.After(ClientLink.DrawDelay(_random), () =>
            server.HandleRead(key, context, reply => _queue.After(ClientLink.DrawDelay(_random), () => onReply(reply))));
    }

    EventQueue IClusterControl.Queue => _queue;

    Random IClusterControl.Random => _random;

    SimNetwork IClusterControl.Network => _network;

    IReadOnlyList<SimPeer> IClusterControl.Peers => _peers;

    SimPeer? IClusterControl.Leader =>
        _peers.Where(p => p.Node is { Role: RaftRole.Leader }).OrderByDescending(p => p.Node!.Term).FirstOrDefault();

    void IClusterControl.Crash(SimPeer peer, bool tornWrite, bool loseOutgoing, string why)
    {
        _crashes++;
        _trace.Add($"{peer.Id} CRASH ({why}{(tornWrite && peer.Writing is not null ? ", write torn" : "")}{(loseOutgoing ? ", messages on the wire lost" : "")})");
        if (loseOutgoing) _network.Detach(peer.Id);
        peer.Crash(tornWrite);
    }

    void IClusterControl.Restart(SimPeer peer)
    {
        var durable = peer.Storage.HardState;
        _trace.Add($"{peer.Id} restart (term {durable.Term}, vote {durable.Vote ?? "-"}, commit {durable.Commit}, log {peer.Storage.LastIndex})");
        _network.Attach(peer.Id);
        peer.Start();
    }

    void IClusterControl.Trace(string text) => _trace.Add(text);
}
