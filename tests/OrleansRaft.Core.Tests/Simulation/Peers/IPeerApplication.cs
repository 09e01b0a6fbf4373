namespace OrleansRaft.Core.Tests.Simulation.Peers;

/// <summary>The volatile state machine a peer runs on top of its node; lost on a crash, rebuilt by replay.</summary>
internal interface IPeerApplication
{
    /// <summary>The peer (re)started: drop all state. The new node re-delivers committed entries from index 1, or
    /// from its snapshot (handed to <see cref="Restore"/> first).</summary>
    void Reset();

    /// <summary>Index of the last entry applied (restored snapshots included).</summary>
    long AppliedIndex { get; }

    /// <summary>Prefix hash of every entry applied so far (restored snapshots included), so that the checker can
    /// tell whether a snapshot holds exactly the committed prefix it claims to.</summary>
    ulong AppliedChain { get; }

    /// <summary>Encodes the applied state, for a snapshot at <see cref="AppliedIndex"/>.</summary>
    byte[] TakeSnapshot();

    /// <summary>Replaces the whole state with a snapshot's.</summary>
    void Restore(byte[] snapshot);

    /// <summary>Applies one committed entry; each index arrives exactly once per incarnation, in order.</summary>
    void Apply(Entry entry);

    /// <summary>A linearizable read is safe to serve now (its entries are applied).</summary>
    void ServeRead(ReadState read);

    /// <summary>A read this peer accepted can no longer be served here.</summary>
    void AbortRead(long context);
}

/// <summary>Watches every activation of every peer as it changes: safety checks and fault triggers hook in here.
/// Callbacks must not change the cluster synchronously (schedule an event instead): the activation is in the middle
/// of its own work.</summary>
internal interface IPeerObserver
{
    /// <summary>A new activation of the peer loaded its durable storage and started its node.</summary>
    void OnStarted(PeerActivation activation);

    /// <summary>The node took an input. Its log may have changed, but not below <paramref name="changedFrom"/>
    /// (a hint that keeps log checks incremental).</summary>
    void OnChanged(PeerActivation activation, long changedFrom);

    /// <summary>The node handed out a Ready; its write now starts.</summary>
    void OnReadyStarted(PeerActivation activation, Ready ready);

    /// <summary>The Ready's write is durable (the hard state this activation knew was <paramref name="before"/>
    /// until now); its messages are about to go out.</summary>
    void OnPersisted(PeerActivation activation, Ready ready, HardState before);

    void OnApplied(PeerActivation activation, Entry entry);

    /// <summary>The activation took a snapshot of its state machine, installed one from the leader, or loaded its own at start.</summary>
    void OnSnapshot(PeerActivation activation, Snapshot snapshot, SnapshotEvent what);

    /// <summary>The activation ended: whatever it held in memory is gone; its store is what survives.</summary>
    void OnStopped(PeerActivation activation, ActivationEnd how);
}

internal enum SnapshotEvent
{
    Taken,
    Installed,
    Loaded,
}
