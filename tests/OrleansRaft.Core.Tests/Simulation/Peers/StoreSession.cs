namespace OrleansRaft.Core.Tests.Simulation.Peers;

/// <summary>
/// One activation's use of its peer's <see cref="DurableStorage"/>, as the grain's storage adapters use grain
/// storage: every row it read or wrote is remembered with its ETag, and every write carries that ETag, so a row
/// changed by another activation since makes the write fail. A segment this activation never read is read just
/// before it is written (as the grain's log store does), so that write cannot conflict; with
/// <paramref name="strict"/>, log rows record the generation (claim sequence) of the activation that wrote them,
/// and a row read that way is not written if a newer activation wrote it last (the grain's log store does the same:
/// grain storage cannot list rows, so an activation cannot learn every row's ETag when it loads). A row deleted
/// keeps its ETag, as the ADO.NET provider's rows do. Each method returns false on the first conflict; the rows
/// written before it stay written.
/// </summary>
/// <remarks>The log algorithm is the grain's (<c>GrainStorageLogStore</c>): an append that replaces a suffix clears
/// the segments past the new start first, highest first, then writes the new segments, lowest first; clearing
/// deletes segments highest first and then moves the head; compaction moves the head, then deletes the segments
/// it freed. Log bounds are this activation's belief, as in the grain, not the rows' current content.</remarks>
internal sealed class StoreSession(DurableStorage store, bool strict = false)
{
    private readonly Dictionary<long, long> _segments = [];
    private long _peerETag;
    private long _headETag;
    private long _snapshotETag;
    private long _firstSegment;
    private long _firstIndex;
    private long _lastIndex;

    /// <summary>Last durable index as this activation knows it: of the log, or of the snapshot that replaced it.</summary>
    private long _logEnd;

    /// <summary>The sequence this activation claimed the peer row with; later activations claim higher ones.</summary>
    private long _generation;

    public DurableStorage Store { get; } = store;

    /// <summary>The hard state this activation last read from or wrote to the peer row.</summary>
    public HardState HardState { get; private set; }

    /// <summary>The node's hard state as its last Ready reported it: what the next peer-row write carries. Its commit
    /// index is persisted only along with a write that happens anyway, so the durable one is a lower bound.</summary>
    public HardState Latest { get; set; }

    /// <summary>Last durable index as this activation wrote or loaded it: of the log, or of the snapshot that
    /// replaced or compacted it.</summary>
    public long LogEnd => _logEnd;

    /// <summary>The row that refused the last write, for the trace.</summary>
    public string? Conflict { get; private set; }

    /// <summary>The activation claim of the per-peer fencing model: reads the peer row and writes it back at once with
    /// the next sequence number, so that the write ending any Ready of an older activation fails from now on.</summary>
    public long Claim()
    {
        var row = Store.Peer;
        HardState = row.Value.HardState;
        var sequence = row.Value.Sequence + 1;
        _peerETag = Store.TryWrite(row, row.ETag, row.Value with { Sequence = sequence })!.Value;
        _generation = sequence;
        return sequence;
    }

    /// <summary>Reads everything a node starts from. With <paramref name="claimed"/> the peer row was read by
    /// <see cref="Claim"/> (perhaps a while ago) and is not read again. Stored entries after the log end the peer
    /// row vouches for (if it does) are ignored.</summary>
    public PersistedState Load(bool claimed)
    {
        if (!claimed)
        {
            HardState = Store.HardState;
            _peerETag = Store.Peer.ETag;
        }
        _headETag = Store.Head.ETag;
        _firstSegment = Store.Head.Value;
        _snapshotETag = Store.SnapshotRow.ETag;
        _segments.Clear();
        var entries = Store.ReadLog(_segments, Store.ReadableEnd);
        Latest = HardState;
        _firstIndex = entries.Count == 0 ? 0 : entries[0].Index;
        _lastIndex = entries.Count == 0 ? 0 : entries[^1].Index;
        _logEnd = Math.Max(_lastIndex, Store.Snapshot?.Index ?? 0);
        return new PersistedState(HardState, entries, Store.Snapshot);
    }

    /// <summary>Writes the peer row with <paramref name="hard"/> and the next sequence number, and with
    /// <paramref name="vouchLogEnd"/> the end of the log as this activation wrote it.</summary>
    public bool WritePeerRow(HardState hard, bool vouchLogEnd)
    {
        var row = Store.Peer;
        var etag = Store.TryWrite(row, _peerETag, new PeerRecord(hard, row.Value.Sequence + 1, vouchLogEnd ? _logEnd : row.Value.LogEnd));
        if (etag is null) return Refused("the peer row");
        _peerETag = etag.Value;
        HardState = hard;
        return true;
    }

    /// <summary>Whether no other activation wrote the peer row since this one last read or wrote it.</summary>
    public bool OwnsPeerRow => Store.Peer.ETag == _peerETag;

    /// <summary>An ETag-checked read of the peer row: whether no other activation wrote it since this one did.</summary>
    public bool CheckPeerRow() => Store.Peer.ETag == _peerETag || Refused("the peer row (checked before sending)");

    /// <summary>Rewrites, unchanged, the rows an older activation may still be about to write: the snapshot row (an
    /// install writes it first), the log head row (an append to an empty log, a clear and a compaction move it),
    /// and every log row holding an entry above <paramref name="commit"/> (only uncommitted entries are ever
    /// replaced). They then have ETags the older activation does not know.</summary>
    public bool ReclaimUncommitted(long commit)
    {
        if (Store.TryWrite(Store.SnapshotRow, _snapshotETag, Store.Snapshot) is not { } snapshotETag) return Refused("the snapshot row");
        _snapshotETag = snapshotETag;
        if (!WriteHead(_firstSegment)) return false;
        if (_lastIndex == 0 || commit >= _lastIndex) return true;
        for (var segment = Store.SegmentOf(Math.Max(commit + 1, _firstIndex)); segment <= Store.SegmentOf(_lastIndex); segment++)
        {
            var content = Read(segment).Where(e => e.Index <= _lastIndex).ToArray();
            if (!WriteSegment(segment, content)) return false;
        }
        return true;
    }

    /// <summary>Writes the hard state and nothing else into the peer row (the per-row model's hard-state row).</summary>
    public bool WriteHardStateRow(HardState hard)
    {
        var row = Store.Peer;
        var etag = Store.TryWrite(row, _peerETag, row.Value with { HardState = hard });
        if (etag is null) return Refused("the hard-state row");
        _peerETag = etag.Value;
        HardState = hard;
        return true;
    }

    public bool SaveSnapshot(Snapshot snapshot)
    {
        var row = Store.SnapshotRow;
        if (row.ETag == _snapshotETag && row.Value is { } current && snapshot.Index < current.Index)
            throw new InvalidOperationException($"{snapshot} would replace the newer durable {current}.");
        var etag = Store.TryWrite(row, _snapshotETag, snapshot);
        if (etag is null) return Refused("the snapshot row");
        _snapshotETag = etag.Value;
        return true;
    }

    /// <summary>Entries overwrite every stored entry at or above the first one (the Ready contract).</summary>
    public bool Append(IReadOnlyList<Entry> entries)
    {
        if (entries.Count == 0) return true;
        var first = entries[0].Index;
        var last = entries[^1].Index;
        if (_lastIndex > 0 && (first < _firstIndex || first > _lastIndex + 1))
            throw new InvalidOperationException($"Ready entries start at {first}, outside the stored log ({_firstIndex}..{_lastIndex}) or leaving a gap after it.");
        for (var i = 0; i < entries.Count; i++)
            if (entries[i].Index != first + i)
                throw new InvalidOperationException($"Ready entries are not contiguous at index {entries[i].Index}.");

        if (_lastIndex == 0 && Store.SegmentOf(first) != _firstSegment && !WriteHead(Store.SegmentOf(first))) return false;
        for (var segment = Store.SegmentOf(_lastIndex); _lastIndex >= first && segment > Store.SegmentOf(first); segment--)
            if (!WriteSegment(segment, [])) return false;
        for (var segment = Store.SegmentOf(first); segment <= Store.SegmentOf(last); segment++)
        {
            var start = segment * Store.SegmentEntries + 1;
            var end = start + Store.SegmentEntries - 1;
            // Only entries of the log this activation knows are kept: a row it reads for the first time past the
            // log's end holds nothing of it.
            var content = Read(segment).Where(e => _lastIndex > 0 && e.Index >= _firstIndex && e.Index < first).ToList();
            for (var index = Math.Max(start, first); index <= Math.Min(last, end); index++) content.Add(entries[(int)(index - first)]);
            if (!WriteSegment(segment, [.. content])) return false;
        }
        if (_lastIndex == 0 || first < _firstIndex) _firstIndex = first;
        _lastIndex = _logEnd = last;
        return true;
    }

    /// <summary>Drops the whole log: the installed snapshot through <paramref name="snapshotIndex"/> replaces it.</summary>
    public bool Clear(long snapshotIndex)
    {
        _logEnd = snapshotIndex;
        if (_lastIndex == 0) return true;
        var lastSegment = Store.SegmentOf(_lastIndex);
        for (var segment = lastSegment; segment >= _firstSegment; segment--)
            if (!DeleteSegment(segment)) return false;
        _firstIndex = _lastIndex = 0;
        return WriteHead(lastSegment + 1);
    }

    /// <summary>Deletes the segments that hold only entries at or below <paramref name="throughIndex"/>, which the
    /// durable snapshot covers; the node ignores the covered entries left in the segment it falls in.</summary>
    public bool Compact(long throughIndex)
    {
        if (_lastIndex == 0 || throughIndex < _firstIndex) return true;
        var newFirst = throughIndex >= _lastIndex ? Store.SegmentOf(_lastIndex) + 1 : Store.SegmentOf(throughIndex + 1);
        if (newFirst <= _firstSegment) return true;
        var oldFirst = _firstSegment;
        if (!WriteHead(newFirst)) return false;
        if (throughIndex >= _lastIndex) _firstIndex = _lastIndex = 0;
        else _firstIndex = Math.Max(_firstIndex, newFirst * Store.SegmentEntries + 1);
        for (var segment = oldFirst; segment < newFirst; segment++)
            if (!DeleteSegment(segment)) return false;
        return true;
    }

    private bool WriteHead(long firstSegment)
    {
        var etag = Store.TryWrite(Store.Head, _headETag, firstSegment);
        if (etag is null) return Refused("the log head row");
        _headETag = etag.Value;
        _firstSegment = firstSegment;
        return true;
    }

    /// <summary>The segment's entries: as remembered (a stale memory fails the write that follows), or read now.</summary>
    private Entry[] Read(long segment)
    {
        var row = Store.Segment(segment);
        _segments.TryAdd(segment, Unseen(row));
        return row.Value;
    }

    /// <summary>The ETag a write of a row this activation has not seen expects: the row's current one (read just
    /// before); strictly, none that can match (-1) if a newer activation wrote the row last.</summary>
    private long Unseen(StoreRow<Entry[]> row) => strict && row.Writer > _generation ? -1 : row.ETag;

    private bool WriteSegment(long segment, Entry[] content)
    {
        var row = Store.Segment(segment);
        var known = _segments.TryGetValue(segment, out var seen) ? seen : Unseen(row);
        // Clearing a segment that holds nothing writes nothing (as the grain's log store does).
        if (content.Length == 0 && known == row.ETag && row.Value.Length == 0) return true;
        var etag = Store.TryWrite(row, known, content, _generation);
        if (etag is null) return Refused($"log segment {segment}");
        _segments[segment] = etag.Value;
        return true;
    }

    private bool DeleteSegment(long segment)
    {
        var row = Store.Segment(segment);
        var known = _segments.TryGetValue(segment, out var seen) ? seen : Unseen(row);
        // A deleted row is forgotten, so the next write to it reads it first; strictly, its new ETag is kept.
        _segments.Remove(segment);
        if (known == row.ETag && row.Value.Length == 0)
        {
            if (strict) _segments[segment] = known;
            return true;
        }
        var etag = Store.TryWrite(row, known, [], _generation);
        if (etag is null) return Refused($"log segment {segment}");
        if (strict) _segments[segment] = etag.Value;
        return true;
    }

    private bool Refused(string row)
    {
        Conflict = row;
        return false;
    }
}
