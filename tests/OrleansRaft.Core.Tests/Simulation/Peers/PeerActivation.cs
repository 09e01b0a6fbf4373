using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Simulation.Peers;

/// <summary>How an activation ended.</summary>
internal enum ActivationEnd
{
    /// <summary>Its process died (a crash): what it had in memory and in flight is lost.</summary>
    Crashed,

    /// <summary>A write of it was refused for a stale ETag: another activation of the peer exists.</summary>
    Fenced,

    /// <summary>The runtime deactivated it, as Orleans does with the losing one of two activations.</summary>
    Retired,

    /// <summary>Its peer was removed from the group and the operator shut it down for good.</summary>
    Decommissioned,
}

/// <summary>
/// One activation of a peer: a <see cref="RaftNode"/> built from the peer's store, its application, and its own
/// <see cref="StoreSession"/>, run the way a real host must run them (the <see cref="Ready"/> contract). A write
/// takes virtual time; the node keeps taking inputs meanwhile, and its messages go out only once the write
/// completes, unless the Ready says they may precede it. The write follows the peer's <see cref="FencingMode"/>; a
/// refused row fences the activation: it sends, applies and answers nothing more, and is gone. An activation never
/// restarts: a restart of the peer is a new activation.
/// </summary>
internal sealed class PeerActivation
{
    private readonly SimPeer _peer;
    private readonly PeerServices _services;
    private readonly List<Action> _deferred = [];
    private Ready? _writing;
    private long _pausedUntil = -1;

    public PeerActivation(SimPeer peer, int number, PeerServices services)
    {
        _peer = peer;
        _services = services;
        Name = $"{peer.Id}/{number}";
        Store = new StoreSession(peer.Storage, services.Fencing.StrictRowETags);
        Application = services.Applications(this);
    }

    public SimPeer Peer => _peer;

    public string Id => _peer.Id;

    /// <summary>The peer and the activation's number, e.g. "n2/3".</summary>
    public string Name { get; }

    public StoreSession Store { get; }

    public IPeerApplication Application { get; }

    /// <summary>The running node; null before it loaded and once it ended.</summary>
    public RaftNode? Node { get; private set; }

    public bool IsRunning => Node is not null;

    public ActivationEnd? End { get; private set; }

    private IReadOnlySet<string> _cutOffFrom = new HashSet<string>();
    private int _cutUntilHeal;

    /// <summary>Cuts this activation's silo off from <paramref name="peers"/> until the network is next healed,
    /// whatever the network lets the peer's other activations do: two activations of one grain run on two silos,
    /// and the usual reason a runtime starts the second is that the silo of the first was cut off.</summary>
    public void CutOff(IReadOnlySet<string> peers)
    {
        _cutOffFrom = peers;
        _cutUntilHeal = _services.Network.Heals;
    }

    private bool IsCutOffFrom(string peer) =>
        _cutOffFrom.Count > 0 && _cutUntilHeal == _services.Network.Heals && _cutOffFrom.Contains(peer);

    /// <summary>Whether it was the peer's current activation when it ended (the peer was down from then on).</summary>
    public bool EndedAsCurrent { get; internal set; }

    /// <summary>A Ready handed out whose write has not completed.</summary>
    public Ready? Writing => _writing;

    /// <summary>Whether the process is frozen (a long GC pause, a stopped VM): it keeps its state but does nothing.</summary>
    public bool IsPaused => IsRunning && _services.Queue.Now < _pausedUntil;

    public override string ToString() => Name;

    /// <summary>Loads the store (after the claim, under per-peer fencing) and starts the node.</summary>
    public void Activate()
    {
        if (End is not null || Node is not null) throw new InvalidOperationException($"{Name} cannot be activated again.");
        var fencing = _services.Fencing;
        Application.Reset();
        var durable = Store.Load(claimed: fencing.Claim);
        if (fencing.ReclaimUncommitted && !Store.ReclaimUncommitted(Math.Max(durable.HardState.Commit, durable.Snapshot?.Index ?? 0)))
        {
            Stop(ActivationEnd.Fenced);
            return;
        }
        if (durable.Snapshot is { } snapshot) Application.Restore(snapshot.Data);
        Node = new RaftNode(_services.Configure(_peer), durable);
        _services.Observer.OnStarted(this);
        if (durable.Snapshot is not null) _services.Observer.OnSnapshot(this, durable.Snapshot, SnapshotEvent.Loaded);
        Pump();
    }

    /// <summary>Ends the activation now. With <paramref name="tornWrite"/>, a write in flight lands halfway: its
    /// entries are durable and the row that ends it is not, or its snapshot is durable and the log it replaces is
    /// not cleared yet. An activation that never loaded just goes away.</summary>
    public void Stop(ActivationEnd how, bool tornWrite = false)
    {
        if (End is not null) return;
        if (tornWrite && _writing is not null) _services.Fencing.PersistTorn(Store, _writing);
        Node = null;
        _writing = null;
        _deferred.Clear();
        _pausedUntil = -1;
        End = how;
        _peer.OnEnded(this);
        _services.Observer.OnStopped(this, how);
    }

    /// <summary>Freezes the process for <paramref name="duration"/>: its timer stops, and whatever reaches it
    /// (messages, client requests, its own write completions) waits, in order, until it thaws.</summary>
    public void Pause(long duration)
    {
        if (!IsRunning || IsPaused) return;
        var queue = _services.Queue;
        _pausedUntil = queue.Now + duration;
        queue.At(_pausedUntil, () =>
        {
            if (!IsRunning) return;
            var deferred = _deferred.ToList();
            _deferred.Clear();
            foreach (var action in deferred)
                if (IsRunning && !IsPaused) action();
                else if (IsRunning) _deferred.Add(action);
        });
    }

    /// <summary>Runs <paramref name="action"/> now, or when the process thaws if it is paused.</summary>
    public void WhenRunning(Action action)
    {
        if (IsPaused) _deferred.Add(action);
        else action();
    }

    public void Tick()
    {
        // A frozen process's timer does not run: ticks missed during a pause are simply lost.
        if (Node is null || IsPaused) return;
        var from = Node.LastIndex + 1;
        Node.Tick();
        AfterInput(from);
    }

    public void Deliver(RaftMessage message)
    {
        if (Node is null) return;
        if (IsPaused)
        {
            _deferred.Add(() => Deliver(message));
            return;
        }
        // Only an append rewrites the log below its end, and never at or below its PrevLogIndex.
        var from = Node.LastIndex + 1;
        if (message is AppendEntries append) from = Math.Min(from, append.PrevLogIndex + 1);
        Node.Step(message);
        AfterInput(from);
    }

    public ProposeResult Propose(byte[] command)
    {
        if (Node is null) throw new InvalidOperationException($"{Name} is not running.");
        var from = Node.LastIndex + 1;
        var result = Node.Propose(command);
        AfterInput(from);
        return result;
    }

    /// <summary>An operator's membership change, landing on this activation (see <see cref="RaftNode.ProposeConfigChange"/>).</summary>
    public ProposeResult ProposeConfigChange(ConfigChange change)
    {
        if (Node is null) throw new InvalidOperationException($"{Name} is not running.");
        var from = Node.LastIndex + 1;
        var result = Node.ProposeConfigChange(change);
        AfterInput(from);
        return result;
    }

    /// <summary>An operator's leadership transfer, landing on this activation (see <see cref="RaftNode.TransferLeadership"/>).</summary>
    public ProposeResult TransferLeadership(string target)
    {
        if (Node is null) throw new InvalidOperationException($"{Name} is not running.");
        var result = Node.TransferLeadership(target);
        AfterInput(Node.LastIndex + 1);
        return result;
    }

    public ReadIndexResult ReadIndex(long context)
    {
        if (Node is null) throw new InvalidOperationException($"{Name} is not running.");
        var result = Node.ReadIndex(context);
        AfterInput(Node.LastIndex + 1);
        return result;
    }

    private void AfterInput(long changedFrom)
    {
        if (Node is null) return;
        _services.Observer.OnChanged(this, changedFrom);
        Pump();
    }

    /// <summary>Hands out Readys while the node has work and no write is in flight (one Ready at a time).</summary>
    private void Pump()
    {
        while (Node is { HasReady: true } node && _writing is null)
        {
            var ready = node.GetReady();
            _writing = ready;
            _services.Observer.OnReadyStarted(this, ready);
            if (ready.MessagesMayPrecedePersist) Send(ready);

            var delay = _services.PersistDelay(this, ready);
            if (delay > 0)
            {
                _services.Queue.After(delay, () => WhenRunning(() =>
                {
                    if (!IsRunning || !ReferenceEquals(_writing, ready)) return;
                    Complete(ready);
                    Pump();
                }));
                return;
            }
            Complete(ready);
        }
    }

    /// <summary>The rest of the contract once the write is durable: send, apply, serve reads, advance. A refused
    /// write fences the activation instead.</summary>
    private void Complete(Ready ready)
    {
        var node = Node!;
        var before = Store.HardState;
        if (!_services.Fencing.Persist(Store, ready))
        {
            Stop(ActivationEnd.Fenced);
            return;
        }
        _services.Observer.OnPersisted(this, ready, before);
        if (!ready.MessagesMayPrecedePersist) Send(ready);
        if (ready.Snapshot is { } installed)
        {
            Application.Restore(installed.Data);
            _services.Observer.OnSnapshot(this, installed, SnapshotEvent.Installed);
        }
        foreach (var entry in ready.CommittedEntries)
        {
            Application.Apply(entry);
            _services.Observer.OnApplied(this, entry);
        }
        foreach (var read in ready.ReadStates) Application.ServeRead(read);
        foreach (var context in ready.AbortedReads) Application.AbortRead(context);
        _writing = null;
        node.Advance(ready);
        if (!MaybeSnapshot(node)) return;
        _services.Observer.OnChanged(this, node.LastIndex + 1);
    }

    /// <summary>Snapshots the state machine once enough was applied, makes the snapshot durable, and only then
    /// compacts the log, in the node and in storage, as a real host must. False if a write was refused.</summary>
    private bool MaybeSnapshot(RaftNode node)
    {
        if (_services.Snapshots is not { Every: > 0 } policy || node.AppliedIndex - (node.Snapshot?.Index ?? 0) < policy.Every) return true;
        if (Application.AppliedIndex != node.AppliedIndex)
            throw new InvalidOperationException($"{Name}'s state machine applied {Application.AppliedIndex} but its node says {node.AppliedIndex}.");
        var snapshot = node.CreateSnapshot(node.AppliedIndex, Application.TakeSnapshot());
        // In one transaction with the compaction below, conditional on the peer row, when the host writes that way.
        if ((_services.Fencing.OneTransaction && !Store.CheckPeerRow()) || !Store.SaveSnapshot(snapshot))
        {
            Stop(ActivationEnd.Fenced);
            return false;
        }
        _services.Observer.OnSnapshot(this, snapshot, SnapshotEvent.Taken);
        var through = Math.Max(node.FirstIndex - 1, snapshot.Index - policy.CatchUp);
        node.Compact(through);
        if (Store.Compact(through)) return true;
        Stop(ActivationEnd.Fenced);
        return false;
    }

    private void Send(Ready ready)
    {
        foreach (var message in ready.Messages)
            if (!IsCutOffFrom(message.To)) _services.Network.Send(message);
    }

    /// <summary>Whether a message from <paramref name="from"/> can reach this activation's silo.</summary>
    public bool Hears(string from) => !IsCutOffFrom(from);
}
