using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Network;

namespace OrleansRaft.Core.Tests.Lab;

/// <summary>Connecting, disconnecting, crashing and restarting servers, and the network's reliability.</summary>
internal sealed partial class LabConfig
{
    /// <summary>Attaches server <paramref name="i"/> to the net: it reaches, and is reached by, connected servers.</summary>
    public void Connect(int i) => _network.Attach(_ids[i]);

    /// <summary>Detaches server <paramref name="i"/>: it keeps running, but nothing reaches it or leaves it.</summary>
    public void Disconnect(int i) => _network.Detach(_ids[i]);

    public bool IsConnected(int i) => _network.IsAttached(_ids[i]);

    /// <summary>Whether server <paramref name="i"/> is running (the lab's <c>cfg.rafts[i] != nil</c>).</summary>
    public bool IsUp(int i) => _peers[i].IsUp;

    /// <summary>Disconnects and kills server <paramref name="i"/>; what it persisted survives.</summary>
    public void Crash1(int i)
    {
        Disconnect(i);
        _peers[i].Crash();
    }

    /// <summary>Crashes server <paramref name="i"/> if it runs, then starts a new instance from what it persisted.
    /// It stays disconnected until <see cref="Connect"/>.</summary>
    public void Start1(int i)
    {
        Crash1(i);
        _peers[i].Start();
    }

    /// <summary>The lab's unreliable network: a tenth of messages lost, the rest delayed up to 27 ms each, in no particular order.</summary>
    public void SetUnreliable(bool unreliable)
    {
        _unreliable = unreliable;
        UpdateNetwork();
    }

    /// <summary>The lab's long reordering: on an unreliable network, two thirds of replies arrive 200 to 2200 ms late.</summary>
    public void SetLongReordering(bool longReordering)
    {
        _longReordering = longReordering;
        UpdateNetwork();
    }

    private bool _unreliable;
    private bool _longReordering;

    private void UpdateNetwork() => _network.Conditions = !_unreliable
        ? NetworkConditions.Reliable
        : new NetworkConditions
        {
            DropRate = 0.1,
            // labrpc delivers each RPC on its own goroutine after its own delay: no order between them.
            ReorderRate = 1,
            MinDelay = 100 * VirtualTime.Microsecond,
            MaxDelay = 27 * VirtualTime.Millisecond,
            LongDelayRate = _longReordering ? 2.0 / 3 : 0,
            LongDelayMin = 200 * VirtualTime.Millisecond,
            LongDelayMax = 2200 * VirtualTime.Millisecond,
            LongDelayRepliesOnly = true,
        };

    /// <summary>The lab's cfg.LogSize(): the largest log any server holds in storage, in bytes.</summary>
    public long LogSize() => _peers.Max(p => p.Storage.LogBytes);

    /// <summary>RPCs served by all servers so far; a request and its reply count as one.</summary>
    public long RpcTotal => _network.RequestsDelivered;

    /// <summary>The lab's <c>rf.Start(cmd)</c>: (index, term, isLeader).</summary>
    public (long Index, long Term, bool IsLeader) Start(int i, long command)
    {
        var peer = _peers[i];
        if (!peer.IsUp) throw new InvalidOperationException($"Server {i} is not running.");
        var result = peer.Propose(LabApplier.Encode(command));
        return (result.Index, result.Accepted ? result.Term : peer.Node!.Term, result.Accepted);
    }

    /// <summary>The lab's <c>rf.GetState()</c>: (term, isLeader).</summary>
    public (long Term, bool IsLeader) GetState(int i)
    {
        var node = _peers[i].Node ?? throw new InvalidOperationException($"Server {i} is not running.");
        return (node.Term, node.Role == RaftRole.Leader);
    }
}
