using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Network;

namespace OrleansRaft.Core.Tests.Simulation.Peers;

/// <summary>How long an activation's write takes; chosen by the simulation.</summary>
internal delegate long PersistDelay(PeerActivation activation, Ready ready);

/// <summary>When a peer snapshots its state machine: once <paramref name="Every"/> entries were applied since the
/// last snapshot (0: never), keeping the last <paramref name="CatchUp"/> entries it covers in the log.</summary>
internal sealed record SnapshotPolicy(int Every, int CatchUp)
{
    public static readonly SnapshotPolicy Never = new(0, 0);
}

/// <summary>What every activation of a peer runs with.</summary>
internal sealed record PeerServices(
    Func<SimPeer, RaftConfig> Configure,
    Func<PeerActivation, IPeerApplication> Applications,
    EventQueue Queue,
    SimNetwork Network,
    Random Random,
    PersistDelay PersistDelay,
    IPeerObserver Observer,
    SnapshotPolicy Snapshots,
    FencingPolicy Fencing);

/// <summary>
/// One simulated server: a peer identity with its <see cref="DurableStorage"/>, and the activations that run it.
/// Normally one activation runs at a time (<see cref="Current"/>): a crash ends it, a restart starts a new one
/// from what was durable. But the host is an Orleans grain, a virtual actor, and the runtime may briefly run a
/// second activation of it beside the first, over the same store (<see cref="StartDuplicate"/>): both then
/// receive the peer's messages and tick, each writes through its own <see cref="StoreSession"/>, and the peer's
/// <see cref="FencingPolicy"/> decides which of them still gets to speak for the peer.
/// </summary>
internal sealed class SimPeer(string id, PeerServices services, int segmentEntries = DurableStorage.DefaultSegmentEntries)
{
    private readonly List<PeerActivation> _activations = [];
    private int _started;

    public string Id { get; } = id;

    public DurableStorage Storage { get; } = new(segmentEntries, services.Fencing.VouchLogEnd);

    /// <summary>The activation the runtime routes new work to, once it has loaded; null while the peer is down.</summary>
    public PeerActivation? Current { get; private set; }

    /// <summary>Every activation that has not ended: <see cref="Current"/>, older ones still running, and newer
    /// ones still loading.</summary>
    public IReadOnlyList<PeerActivation> Activations => _activations;

    public bool HasDuplicates => _activations.Count > 1;

    /// <summary>The current activation's node, or null while the peer is down.</summary>
    public RaftNode? Node => Current?.Node;

    public bool IsUp => Current is not null;

    /// <summary>Bumped whenever the peer goes down (its current activation ends), so that an event scheduled for
    /// the peer while it was up is recognised as stale. A newer activation taking over is not a restart.</summary>
    public int Incarnation { get; private set; }

    /// <summary>A Ready of the current activation whose write has not completed.</summary>
    public Ready? Writing => Current?.Writing;

    public bool IsPaused => Current?.IsPaused ?? false;

    /// <summary>The peer was removed from the group and shut down for good: it never starts again.</summary>
    public bool Decommissioned { get; private set; }

    public void Start()
    {
        if (IsUp) throw new InvalidOperationException($"Peer {Id} is already up.");
        if (Decommissioned) throw new InvalidOperationException($"Peer {Id} was decommissioned.");
        var activation = NewActivation();
        if (services.Fencing.Claim) activation.Store.Claim();
        Current = activation;
        activation.Activate();
    }

    /// <summary>Starts another activation beside the running one(s). Under per-peer fencing it claims the peer row
    /// now; it loads after <paramref name="loadAfter"/> and from then on is <see cref="Current"/>. Until the network
    /// is next healed, the current one's silo is cut off from <paramref name="olderCutOffFrom"/> and the new one's
    /// from <paramref name="newerCutOffFrom"/>.</summary>
    public PeerActivation StartDuplicate(long loadAfter, IReadOnlySet<string> olderCutOffFrom, IReadOnlySet<string> newerCutOffFrom)
    {
        if (Current is { } older && olderCutOffFrom.Count > 0) older.CutOff(olderCutOffFrom);
        var activation = NewActivation();
        if (newerCutOffFrom.Count > 0) activation.CutOff(newerCutOffFrom);
        if (services.Fencing.Claim) activation.Store.Claim();
        services.Queue.After(loadAfter, () =>
        {
            if (activation.End is not null) return;
            Current = activation;
            activation.Activate();
        });
        return activation;
    }

    /// <summary>Ends every activation but <see cref="Current"/>, as the runtime deactivates the one it lost track of.</summary>
    public void RetireOthers(Func<bool> tornWrite)
    {
        foreach (var activation in _activations.ToList())
            if (activation != Current && activation.IsRunning) activation.Stop(ActivationEnd.Retired, tornWrite());
    }

    /// <summary>Stops the current activation now (see <see cref="PeerActivation.Stop"/>).</summary>
    public void Crash(bool tornWrite = false) => Current?.Stop(ActivationEnd.Crashed, tornWrite);

    /// <summary>Shuts the peer down for good, every activation of it (an operator retiring a removed server).</summary>
    public void Decommission()
    {
        Decommissioned = true;
        foreach (var activation in _activations.ToList()) activation.Stop(ActivationEnd.Decommissioned);
    }

    public void Pause(long duration) => Current?.Pause(duration);

    /// <summary>Every running activation's timer fires.</summary>
    public void Tick()
    {
        if (_activations.Count == 1)
        {
            _activations[0].Tick();
            return;
        }
        foreach (var activation in _activations.ToList()) activation.Tick();
    }

    /// <summary>A message for this peer arrives. With several activations running, the runtime hands it to one of
    /// them, or to each (drawn per message).</summary>
    public void Deliver(RaftMessage message)
    {
        if (_activations.Count == 1)
        {
            if (_activations[0].Hears(message.From)) _activations[0].Deliver(message);
            return;
        }
        var running = _activations.Where(a => a.IsRunning && a.Hears(message.From)).ToList();
        if (running.Count == 0) return;
        var pick = services.Random.Next(running.Count + 1);
        if (pick < running.Count) running[pick].Deliver(message);
        else foreach (var activation in running) activation.Deliver(message);
    }

    /// <summary>Where a client's call lands: the only running activation, or one of them (drawn).</summary>
    public PeerActivation? Route()
    {
        if (_activations.Count == 1) return _activations[0].IsRunning ? _activations[0] : null;
        var running = _activations.Where(a => a.IsRunning).ToList();
        return running.Count == 0 ? null : running[services.Random.Next(running.Count)];
    }

    public ProposeResult Propose(byte[] command) =>
        (Current ?? throw new InvalidOperationException($"Peer {Id} is down.")).Propose(command);

    public ReadIndexResult ReadIndex(long context) =>
        (Current ?? throw new InvalidOperationException($"Peer {Id} is down.")).ReadIndex(context);

    /// <summary>Called by an activation as it ends.</summary>
    internal void OnEnded(PeerActivation activation)
    {
        _activations.Remove(activation);
        if (activation != Current) return;
        activation.EndedAsCurrent = true;
        Current = null;
        Incarnation++;
    }

    private PeerActivation NewActivation()
    {
        var activation = new PeerActivation(this, ++_started, services);
        _activations.Add(activation);
        return activation;
    }
}
