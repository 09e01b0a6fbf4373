using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Network;

namespace OrleansRaft.Core.Tests.Simulation.Peers;

/// <summary>How long a peer's writes take, and whether this one is torn by a crash; chosen by the simulation.</summary>
internal delegate long PersistDelay(SimPeer peer, Ready ready);

/// <summary>When a peer snapshots its state machine: once <paramref name="Every"/> entries were applied since the
/// last snapshot (0: never), keeping the last <paramref name="CatchUp"/> entries it covers in the log.</summary>
internal sealed record SnapshotPolicy(int Every, int CatchUp)
{
    public static readonly SnapshotPolicy Never = new(0, 0);
}

/// <summary>
/// One simulated server: a <see cref="RaftNode"/>, its <see cref="DurableStorage"/> and its application, run
/// the way a real host must run them (the <see cref="Ready"/> contract). A write takes virtual time; the
/// node keeps taking inputs meanwhile, and its messages go out only once the write completes, unless the Ready
/// says they may precede it. A crash drops the node, the application and every write in flight; a restart
/// builds a new node from what was durable.
/// </summary>
internal sealed class SimPeer(
    string id,
    Func<SimPeer, RaftConfig> configure,
    IPeerApplication application,
    EventQueue queue,
    SimNetwork network,
    PersistDelay persistDelay,
    IPeerObserver observer,
    SnapshotPolicy? snapshots = null)
{
    private Ready? _writing;
    private readonly List<Action> _deferred = [];
    private long _pausedUntil = -1;

    public string Id { get; } = id;

    public DurableStorage Storage { get; } = new();

    public IPeerApplication Application { get; } = application;

    /// <summary>The running node, or null while the peer is down.</summary>
    public RaftNode? Node { get; private set; }

    public bool IsUp => Node is not null;

    /// <summary>Bumped on every crash, so that a write completing after the crash is recognised as lost.</summary>
    public int Incarnation { get; private set; }

    /// <summary>A Ready handed out whose write has not completed.</summary>
    public Ready? Writing => _writing;

    /// <summary>Whether the process is frozen (a long GC pause, a stopped VM): it keeps its state but does nothing.</summary>
    public bool IsPaused => IsUp && queue.Now < _pausedUntil;

    /// <summary>Freezes the process for <paramref name="duration"/>: its timer stops, and whatever reaches it
    /// (messages, client requests, its own write completions) waits, in order, until it thaws.</summary>
    public void Pause(long duration)
    {
        if (!IsUp || IsPaused) return;
        _pausedUntil = queue.Now + duration;
        var incarnation = Incarnation;
        queue.At(_pausedUntil, () =>
        {
            if (Incarnation != incarnation) return;
            var deferred = _deferred.ToList();
            _deferred.Clear();
            foreach (var action in deferred)
                if (Incarnation == incarnation && !IsPaused) action();
                else if (Incarnation == incarnation) _deferred.Add(action);
        });
    }

    /// <summary>Runs <paramref name="action"/> now, or when the process thaws if it is paused.</summary>
    public void WhenRunning(Action action)
    {
        if (IsPaused) _deferred.Add(action);
        else action();
    }

    public void Start()
    {
        if (IsUp) throw new InvalidOperationException($"Peer {Id} is already up.");
        Application.Reset();
        var durable = Storage.Load();
        if (durable.Snapshot is { } snapshot) Application.Restore(snapshot.Data);
        Node = new RaftNode(configure(this), durable);
        observer.OnStarted(this);
        if (durable.Snapshot is not null) observer.OnSnapshot(this, durable.Snapshot, SnapshotEvent.Loaded);
        Pump();
    }

    /// <summary>Stops the peer now. With <paramref name="tornWrite"/>, a write in flight lands halfway: its
    /// entries are durable and its hard state is not, or its snapshot is durable and the log it replaces is not
    /// cleared yet.</summary>
    public void Crash(bool tornWrite = false)
    {
        if (!IsUp) return;
        if (tornWrite && _writing is not null) Storage.WriteTorn(_writing);
        Node = null;
        _writing = null;
        _deferred.Clear();
        _pausedUntil = -1;
        Incarnation++;
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
        if (Node is null) throw new InvalidOperationException($"Peer {Id} is down.");
        var from = Node.LastIndex + 1;
        var result = Node.Propose(command);
        AfterInput(from);
        return result;
    }

    public ReadIndexResult ReadIndex(long context)
    {
        if (Node is null) throw new InvalidOperationException($"Peer {Id} is down.");
        var result = Node.ReadIndex(context);
        AfterInput(Node.LastIndex + 1);
        return result;
    }

    private void AfterInput(long changedFrom)
    {
        observer.OnChanged(this, changedFrom);
        Pump();
    }

    /// <summary>Hands out Readys while the node has work and no write is in flight (one Ready at a time).</summary>
    private void Pump()
    {
        while (Node is { HasReady: true } node && _writing is null)
        {
            var ready = node.GetReady();
            _writing = ready;
            observer.OnReadyStarted(this, ready);
            if (ready.MessagesMayPrecedePersist) Send(ready);

            var delay = persistDelay(this, ready);
            if (delay > 0)
            {
                var incarnation = Incarnation;
                queue.After(delay, () => WhenRunning(() =>
                {
                    if (Incarnation != incarnation || !ReferenceEquals(_writing, ready)) return;
                    Complete(ready);
                    Pump();
                }));
                return;
            }
            Complete(ready);
        }
    }

    /// <summary>The rest of the contract once the write is durable: send, apply, serve reads, advance.</summary>
    private void Complete(Ready ready)
    {
        var node = Node!;
        var before = Storage.HardState;
        Storage.Write(ready.HardState, ready.Snapshot, ready.Entries);
        observer.OnPersisted(this, ready, before);
        if (!ready.MessagesMayPrecedePersist) Send(ready);
        if (ready.Snapshot is { } installed)
        {
            Application.Restore(installed.Data);
            observer.OnSnapshot(this, installed, SnapshotEvent.Installed);
        }
        foreach (var entry in ready.CommittedEntries)
        {
            Application.Apply(entry);
            observer.OnApplied(this, entry);
        }
        foreach (var read in ready.ReadStates) Application.ServeRead(read);
        foreach (var context in ready.AbortedReads) Application.AbortRead(context);
        _writing = null;
        node.Advance(ready);
        MaybeSnapshot(node);
        observer.OnChanged(this, node.LastIndex + 1);
    }

    /// <summary>Snapshots the state machine once enough was applied, makes the snapshot durable, and only then
    /// compacts the log, in the node and in storage, as a real host must.</summary>
    private void MaybeSnapshot(RaftNode node)
    {
        if (snapshots is not { Every: > 0 } policy || node.AppliedIndex - (node.Snapshot?.Index ?? 0) < policy.Every) return;
        if (Application.AppliedIndex != node.AppliedIndex)
            throw new InvalidOperationException($"{Id}'s state machine applied {Application.AppliedIndex} but its node says {node.AppliedIndex}.");
        var snapshot = node.CreateSnapshot(node.AppliedIndex, Application.TakeSnapshot());
        Storage.SaveSnapshot(snapshot);
        observer.OnSnapshot(this, snapshot, SnapshotEvent.Taken);
        var through = Math.Max(node.FirstIndex - 1, snapshot.Index - policy.CatchUp);
        node.Compact(through);
        Storage.CompactLog(through);
    }

    private void Send(Ready ready)
    {
        foreach (var message in ready.Messages) network.Send(message);
    }
}
