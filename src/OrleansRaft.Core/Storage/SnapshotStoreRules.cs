namespace OrleansRaft.Core.Storage;

/// <summary>The argument checks every <see cref="ISnapshotStore"/> applies, so that all implementations refuse the same input.</summary>
public static class SnapshotStoreRules
{
    public static void CheckSave(Snapshot snapshot, Snapshot? saved)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(snapshot.Data);
        if (snapshot.Index < 1 || snapshot.Term < 1)
            throw new ArgumentException($"{snapshot} must have an index and a term of at least 1.", nameof(snapshot));
        if (saved is not null && snapshot.Index < saved.Index)
            throw new ArgumentException($"{snapshot} is older than the saved {saved}.", nameof(snapshot));
    }
}
