using OrleansRaft.Core;

namespace OrleansRaft.Grains.Peers;

/// <summary>
/// When a peer snapshots: once the entries applied since its last snapshot add up to <paramref name="LogBytes"/>
/// (0: never). <paramref name="CatchUpEntries"/> entries behind the snapshot stay in the log for followers that are
/// only a little behind.
/// </summary>
internal sealed record SnapshotPolicy(long LogBytes, int CatchUpEntries)
{
    private long _appliedBytes;

    public bool Enabled => LogBytes > 0;

    /// <summary>Counts an applied entry; true once a snapshot is due.</summary>
    public bool OnApplied(Entry entry)
    {
        _appliedBytes += entry.Size;
        return Enabled && _appliedBytes >= LogBytes;
    }

    public void OnSnapshot() => _appliedBytes = 0;
}
