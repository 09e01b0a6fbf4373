namespace OrleansRaft.Core.Tests.Simulation.Peers;

/// <summary>
/// What survives a crash of one peer: its hard state, snapshot and log as of the last completed write. The
/// simulator updates it only when a Ready's persistence step completes, so a crash loses everything still in flight.
/// </summary>
internal sealed class DurableStorage
{
    private readonly List<Entry> _entries = [];

    /// <summary>Index just before the first stored entry: where compaction or an installed snapshot left the log.</summary>
    private long _base;

    public HardState HardState { get; private set; } = HardState.Empty;

    public Snapshot? Snapshot { get; private set; }

    public long LastIndex => _base + _entries.Count;

    /// <summary>Bytes of the stored log (what compaction keeps bounded).</summary>
    public long LogBytes => _entries.Sum(e => (long)e.Size);

    public long Writes { get; private set; }

    /// <summary>The whole persistence step of a Ready, in the order its contract gives: the snapshot (which
    /// replaces the log), then the entries, then the hard state, which must come last: a hard state whose commit
    /// index points at entries the write did not reach would commit stale entries.</summary>
    public void Write(HardState? hardState, Snapshot? snapshot, IReadOnlyList<Entry> entries)
    {
        if (snapshot is not null)
        {
            SaveSnapshot(snapshot);
            _entries.Clear();
            _base = snapshot.Index;
        }
        WriteEntries(entries);
        if (hardState is { } hard) HardState = hard;
        Writes++;
    }

    /// <summary>A write torn by a crash: a snapshot reached the disk but the log was not cleared yet; or, without
    /// a snapshot, the entries reached the disk and the hard state did not.</summary>
    public void WriteTorn(Ready ready)
    {
        if (ready.Snapshot is not null) SaveSnapshot(ready.Snapshot);
        else WriteEntries(ready.Entries);
    }

    /// <summary>A snapshot the peer took of its own state machine; it is durable at once.</summary>
    public void SaveSnapshot(Snapshot snapshot)
    {
        if (Snapshot is not null && snapshot.Index < Snapshot.Index)
            throw new InvalidOperationException($"{snapshot} would replace the newer durable {Snapshot}.");
        Snapshot = snapshot;
    }

    /// <summary>Drops the stored entries up to <paramref name="throughIndex"/>, which the durable snapshot covers.</summary>
    public void CompactLog(long throughIndex)
    {
        if (Snapshot is null || throughIndex > Snapshot.Index)
            throw new InvalidOperationException($"Compacting the log through {throughIndex}, which no durable snapshot covers.");
        var drop = (int)Math.Clamp(throughIndex - _base, 0, _entries.Count);
        _entries.RemoveRange(0, drop);
        _base += drop;
    }

    private void WriteEntries(IReadOnlyList<Entry> entries)
    {
        if (entries.Count == 0) return;
        var first = entries[0].Index;
        if (first <= _base || first > LastIndex + 1)
            throw new InvalidOperationException(
                $"Ready entries start at {first}, outside the durable log ({_base + 1}..{LastIndex}) or leaving a gap after it.");
        // The Ready contract: entries overwrite every durable entry at or above the first one.
        var keep = (int)(first - _base - 1);
        _entries.RemoveRange(keep, _entries.Count - keep);
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Index != first + i)
                throw new InvalidOperationException($"Ready entries are not contiguous at index {entries[i].Index}.");
            _entries.Add(entries[i]);
        }
    }

    /// <summary>What a restarting node recovers.</summary>
    public PersistedState Load() => new(HardState, [.. _entries], Snapshot);
}
