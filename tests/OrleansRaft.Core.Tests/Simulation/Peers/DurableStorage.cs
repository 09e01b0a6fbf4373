namespace OrleansRaft.Core.Tests.Simulation.Peers;

/// <summary>One stored row and its ETag (a version bumped by every write, kept across deletes).</summary>
internal sealed class StoreRow<T>(T value)
{
    public T Value { get; set; } = value;

    public long ETag { get; set; }

    /// <summary>The generation (claim sequence) of the activation that wrote the row last, as the grain's log rows
    /// record it; 0 when the writer made no claim.</summary>
    public long Writer { get; set; }
}

/// <summary>The per-peer row: the hard state, a sequence number that every write of the row bumps (the activation
/// claim and the write that ends a Ready), and, when the fencing model vouches for it, the last index of the
/// durable log (stored entries after it belong to a Ready that never completed).</summary>
internal readonly record struct PeerRecord(HardState HardState, long Sequence, long LogEnd);

/// <summary>
/// What survives a crash of one peer: its rows, laid out as the grain's storage adapters lay them out, each with
/// an ETag. The per-peer row holds the hard state; the log is split into segment rows of
/// <see cref="SegmentEntries"/> entries (segment n holds indexes n*S+1 .. (n+1)*S) after a head row naming the
/// first segment; the snapshot has a row of its own. Every activation of the peer reads and writes these rows
/// through its own <see cref="StoreSession"/>, which remembers the ETags it saw: a write with a stale ETag fails.
/// Rows change only when a write completes, so a crash loses everything still in flight.
/// </summary>
/// <remarks>This is the truth the safety checker believes about a peer: a restarted activation recovers exactly
/// <see cref="Load"/>, whatever the activations that wrote it held in memory.</remarks>
internal sealed class DurableStorage(int segmentEntries = DurableStorage.DefaultSegmentEntries, bool vouchedLogEnd = true)
{
    public const int DefaultSegmentEntries = 64;

    private readonly Dictionary<long, StoreRow<Entry[]>> _segments = [];
    private long? _lastIndex;

    public int SegmentEntries { get; } = segmentEntries >= 1 ? segmentEntries : throw new ArgumentOutOfRangeException(nameof(segmentEntries));

    public StoreRow<PeerRecord> Peer { get; } = new(new PeerRecord(HardState.Empty, 0, 0));

    /// <summary>The first segment of the log.</summary>
    public StoreRow<long> Head { get; } = new(0);

    public StoreRow<Snapshot?> SnapshotRow { get; } = new(null);

    /// <summary>Whether the log ends where the peer row says (<see cref="FencingPolicy.VouchLogEnd"/>): stored
    /// entries after that are not part of it.</summary>
    public bool VouchedLogEnd { get; } = vouchedLogEnd;

    /// <summary>Where a load stops reading the log.</summary>
    public long ReadableEnd => VouchedLogEnd ? Peer.Value.LogEnd : long.MaxValue;

    public HardState HardState => Peer.Value.HardState;

    public Snapshot? Snapshot => SnapshotRow.Value;

    /// <summary>Last index of the stored log (0 if empty): what a restart would recover.</summary>
    public long LastIndex => _lastIndex ??= ReadLog(null, ReadableEnd) is { Count: > 0 } log ? log[^1].Index : 0;

    /// <summary>Bytes of the stored log (what compaction keeps bounded).</summary>
    public long LogBytes => _segments.Values.Sum(row => row.Value.Sum(e => (long)e.Size));

    /// <summary>Row writes and deletes that succeeded.</summary>
    public long Writes { get; private set; }

    /// <summary>Writes refused for a stale ETag.</summary>
    public long Conflicts { get; private set; }

    public long SegmentOf(long index) => Math.Max(0, index - 1) / SegmentEntries;

    /// <summary>Every log row ever written, and its number.</summary>
    public IEnumerable<(long Segment, StoreRow<Entry[]> Row)> Segments => _segments.Select(pair => (pair.Key, pair.Value));

    /// <summary>The segment row, created empty (ETag 0) if it was never written.</summary>
    public StoreRow<Entry[]> Segment(long segment)
    {
        if (!_segments.TryGetValue(segment, out var row)) _segments[segment] = row = new StoreRow<Entry[]>([]);
        return row;
    }

    /// <summary>An ETag-checked write: succeeds only if <paramref name="etag"/> is the row's current one, and returns
    /// the new ETag; null on a conflict.</summary>
    public long? TryWrite<T>(StoreRow<T> row, long etag, T value, long writer = 0)
    {
        if (row.ETag != etag)
        {
            Conflicts++;
            return null;
        }
        row.Value = value;
        row.Writer = writer;
        row.ETag++;
        Writes++;
        _lastIndex = null;
        return row.ETag;
    }

    /// <summary>The log as a restart reads it: from the head's segment while segments hold entries, each
    /// continuing the one before, and not past <paramref name="end"/> (the end the peer row vouches for, when it
    /// does). <paramref name="seen"/> receives the ETag of every segment read, the first empty one included (the
    /// grain's log store remembers it, so a later write to it is checked too).</summary>
    public List<Entry> ReadLog(Dictionary<long, long>? seen, long end = long.MaxValue)
    {
        var entries = new List<Entry>();
        for (var segment = Head.Value; segment <= SegmentOf(end); segment++)
        {
            var row = _segments.GetValueOrDefault(segment);
            if (seen is not null) seen[segment] = row?.ETag ?? 0;
            if (row is not { Value.Length: > 0 }) break;
            foreach (var entry in row.Value)
            {
                if (entry.Index > end) break;
                var expected = entries.Count == 0 ? entry.Index : entries[^1].Index + 1;
                if (entry.Index != expected || SegmentOf(entry.Index) != segment)
                    throw new InvalidOperationException(
                        $"Storage corrupted: log segment {segment} holds index {entry.Index} where {expected} was expected " +
                        "(rows written by different activations do not fit together).");
                entries.Add(entry);
            }
        }
        return entries;
    }

    /// <summary>Whether a restart would recover the entry (<paramref name="index"/>, <paramref name="term"/>), or a
    /// snapshot covering it: what the checker counts as a durable copy when a leader commits the entry. Looks up one
    /// row rather than reading the log (it runs at every commit); the snapshot stands for the committed prefix, which
    /// the checker holds every snapshot to.</summary>
    public bool HoldsDurably(long index, long term)
    {
        if (Snapshot is { } snapshot && snapshot.Index >= index) return snapshot.Index > index || snapshot.Term == term;
        if (index > ReadableEnd) return false;
        var segment = SegmentOf(index);
        if (segment < Head.Value || !_segments.TryGetValue(segment, out var row)) return false;
        foreach (var entry in row.Value)
            if (entry.Index == index) return entry.Term == term;
        return false;
    }

    /// <summary>What a restarting node recovers.</summary>
    public PersistedState Load() => new(HardState, ReadLog(null, ReadableEnd), Snapshot);

    /// <summary>The rows, for a failure report.</summary>
    public string Describe()
    {
        var log = ReadLog(null, ReadableEnd);
        return $"peer row {HardState} seq {Peer.Value.Sequence} log end {Peer.Value.LogEnd} (etag {Peer.ETag}), head segment {Head.Value}, " +
               $"{(Snapshot is { } s ? s.ToString() : "no snapshot")}, log {(log.Count == 0 ? "empty" : $"{log[0].Index}..{log[^1].Index}")}";
    }
}
