namespace OrleansRaft.Core.Storage;

/// <summary>An in-memory twin of a snapshot store, for tests and simulations.</summary>
public sealed class InMemorySnapshotStore : ISnapshotStore
{
    private Snapshot? _snapshot;

    public ValueTask<Snapshot?> LoadAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_snapshot);

    public ValueTask SaveAsync(Snapshot snapshot, CancellationToken cancellationToken = default)
    {
        SnapshotStoreRules.CheckSave(snapshot, _snapshot);
        _snapshot = snapshot;
        return ValueTask.CompletedTask;
    }
}
