using System.Text;
using OrleansRaft.Core.Storage;

namespace OrleansRaft.Core.Tests.Interaction;

/// <summary>
/// One node of an interaction script together with what its host would own: durable storage (the in-memory
/// twins) and a state machine (the list of applied entries). Carries out each Ready in contract order.
/// </summary>
public sealed class InteractionNode
{
    public InteractionNode(RaftConfig config)
    {
        Config = config;
        Raft = new RaftNode(config);
        LastSeen = Raft.SoftState;
    }

    public string Id => Config.Id;

    public RaftConfig Config { get; }

    public RaftNode Raft { get; private set; }

    public InMemoryLogStore LogStore { get; private set; } = new();

    public InMemoryHardStateStore HardStateStore { get; private set; } = new();

    public InMemorySnapshotStore SnapshotStore { get; private set; } = new();

    /// <summary>The state machine: every entry applied since it was last rebuilt (a restart or an installed
    /// snapshot), in order.</summary>
    public List<Entry> Applied { get; } = [];

    /// <summary>The soft state last reported in the output, to print each change once.</summary>
    public SoftState LastSeen { get; set; }

    /// <summary>Whether the node was quiescent when last printed.</summary>
    public bool WasQuiescent { get; set; }

    /// <summary>Takes the next Ready and carries out its persist and apply steps. The caller sends its
    /// messages and then calls <see cref="RaftNode.Advance"/>.</summary>
    public Ready PersistAndApply()
    {
        var ready = Raft.GetReady();
        if (ready.Snapshot is { } snapshot)
        {
            // Ready contract: the snapshot replaces the whole log, and the state machine is restored from it.
            SnapshotStore.SaveAsync(snapshot).Wait();
            LogStore.ClearAsync().Wait();
            Applied.Clear();
        }
        if (ready.HardState is { } hard) HardStateStore.SaveAsync(hard).Wait();
        if (ready.Entries.Count > 0) LogStore.AppendAsync(ready.Entries).Wait();
        Applied.AddRange(ready.CommittedEntries);
        return ready;
    }

    /// <summary>What a host does to compact: snapshot the state machine at <paramref name="index"/> (applied),
    /// make the snapshot durable, drop the stored entries it covers, then tell the node.</summary>
    public Snapshot Compact(long index)
    {
        var snapshot = Raft.CreateSnapshot(index, Encoding.UTF8.GetBytes($"state@{index}"));
        SnapshotStore.SaveAsync(snapshot).Wait();
        LogStore.CompactAsync(index).Wait();
        Raft.Compact(index);
        return snapshot;
    }

    /// <summary>Crash and recover: everything not persisted is lost, the state machine is rebuilt from the snapshot
    /// and the log.</summary>
    public void Restart()
    {
        var state = new PersistedState(HardStateStore.LoadAsync().Result(), LogStore.LoadAsync().Result(), SnapshotStore.LoadAsync().Result());
        Raft = new RaftNode(Config, state);
        Applied.Clear();
    }

    /// <summary>Replaces the persisted state (as if the node had written it before crashing) and restarts.</summary>
    public void Load(HardState hard, IReadOnlyList<Entry> entries)
    {
        LogStore = new InMemoryLogStore();
        HardStateStore = new InMemoryHardStateStore();
        SnapshotStore = new InMemorySnapshotStore();
        HardStateStore.SaveAsync(hard).Wait();
        if (entries.Count > 0) LogStore.AppendAsync(entries).Wait();
        Restart();
    }
}

/// <summary>The in-memory stores complete synchronously; these unwrap them without blocking.</summary>
internal static class ValueTaskExtensions
{
    public static void Wait(this ValueTask task)
    {
        if (!task.IsCompletedSuccessfully) task.AsTask().GetAwaiter().GetResult();
    }

    public static T Result<T>(this ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
}
