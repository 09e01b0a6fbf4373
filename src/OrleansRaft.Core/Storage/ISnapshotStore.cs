namespace OrleansRaft.Core.Storage;

/// <summary>Durable home of a node's latest <see cref="Snapshot"/>.</summary>
public interface ISnapshotStore
{
    /// <summary>The last snapshot saved completely, or null if none was.</summary>
    ValueTask<Snapshot?> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the saved snapshot; durable when the returned task completes. Atomic: a crash before
    /// then leaves the previous snapshot loadable and whole. Throws <see cref="ArgumentException"/> for a
    /// snapshot older than the saved one (a lower index).</summary>
    ValueTask SaveAsync(Snapshot snapshot, CancellationToken cancellationToken = default);
}
