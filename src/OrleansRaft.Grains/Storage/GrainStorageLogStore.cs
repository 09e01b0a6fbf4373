using OrleansRaft.Core;
using OrleansRaft.Core.Storage;
using Orleans.Storage;

namespace OrleansRaft.Grains.Storage;

/// <summary>
/// A peer's log as fixed-size segments, one grain-storage row each (state name <c>raft.log.{n}</c>; segment n holds
/// indexes n*S+1 .. (n+1)*S), and a head row (<c>raft.log.head</c>) naming the first segment once compaction has
/// moved it. An append rewrites only the one or two segments it touches, and a compaction deletes only the
/// segments it frees, so neither costs more as the log's history grows.
/// </summary>
/// <remarks>Crash safety: when an append replaces a suffix, the segments past the new start are cleared first,
/// highest first, and new segments are written lowest first. A crash at any point leaves a prefix of the old log
/// followed by a prefix of the new entries: never a mix of old entries after new ones. Compaction moves the head
/// before deleting the segments below it; clearing deletes segments highest first, then moves the head.
/// Superseded activations (see <see cref="GrainStoragePeerRow"/>): every row this store read or wrote is written back
/// with the ETag it last saw, a deleted row keeps its new ETag, and a row it has not seen is read just before it is
/// written, and not written if an activation of a later <see cref="Generation"/> wrote it (an older activation's
/// write, in flight since before the newer one claimed the peer, would otherwise overwrite entries the newer one
/// acknowledged). Grain storage cannot list a peer's rows, so a load cannot learn every row's ETag instead.</remarks>
public sealed class GrainStorageLogStore : ILogStore
{
    public const string HeadName = "raft.log.head";

    private readonly IGrainStorage _storage;
    private readonly GrainId _grainId;
    private readonly int _segmentEntries;
    private readonly Dictionary<long, GrainState<LogSegmentRecord>> _segments = [];
    private readonly GrainState<LogHeadRecord> _head = new(new LogHeadRecord());
    private long _firstIndex;
    private long _lastIndex;
    private long _garbageCursor;

    /// <summary>This activation's generation: the peer-row sequence it claimed the peer with. Rows record it.</summary>
    public long Generation { get; set; }

    /// <summary>The last index of the log as this activation knows it (0 when empty).</summary>
    public long LastIndex => _lastIndex;

    public GrainStorageLogStore(IGrainStorage storage, GrainId grainId, int segmentEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentEntries, 1);
        _storage = storage;
        _grainId = grainId;
        _segmentEntries = segmentEntries;
    }

    public static string SegmentName(long segment) => $"raft.log.{segment}";

    public ValueTask<IReadOnlyList<Entry>> LoadAsync(CancellationToken cancellationToken = default) => LoadAsync(long.MaxValue);

    /// <summary>Loads the log up to <paramref name="end"/>, the end the peer row vouches for: stored entries after it
    /// belong to a Ready whose peer-row write never happened, and are not part of the log.</summary>
    public async ValueTask<IReadOnlyList<Entry>> LoadAsync(long end)
    {
        await RowReader.ReadAsync(_storage, HeadName, _grainId, _head);
        if (!_head.RecordExists || _head.State is null) _head.State = new LogHeadRecord();
        else RowChecksums.Verify(_head.State, RowReader.Describe(_grainId, HeadName));

        var entries = new List<Entry>();
        _segments.Clear();
        for (var segment = _head.State.FirstSegment; segment <= SegmentOf(end); segment++)
        {
            var row = await ReadSegmentAsync(segment);
            if (IsEmpty(row)) break;
            foreach (var entry in row.State!.Entries)
            {
                if (entry.Index > end) break;
                var expected = entries.Count == 0 ? entry.Index : entries[^1].Index + 1;
                if (entry.Index != expected || SegmentOf(entry.Index) != segment)
                    throw new RaftStorageCorruptedException(RowReader.Describe(_grainId, SegmentName(segment)), $"holds index {entry.Index} where {expected} was expected");
                entries.Add(entry);
            }
        }
        _firstIndex = entries.Count == 0 ? 0 : entries[0].Index;
        _lastIndex = entries.Count == 0 ? 0 : entries[^1].Index;
        return entries;
    }

    public async ValueTask AppendAsync(IReadOnlyList<Entry> entries, CancellationToken cancellationToken = default)
    {
        LogStoreRules.CheckAppend(entries, _firstIndex, _lastIndex);
        if (entries.Count == 0) return;
        var first = entries[0].Index;
        var last = entries[^1].Index;
        if (_lastIndex == 0 && SegmentOf(first) != Head.FirstSegment)
            await WriteHeadAsync(SegmentOf(first), Math.Min(Head.CleanFrom, SegmentOf(first)));

        for (var segment = SegmentOf(_lastIndex); _lastIndex >= first && segment > SegmentOf(first); segment--)
            await WriteSegmentAsync(segment, []);

        for (var segment = SegmentOf(first); segment <= SegmentOf(last); segment++)
        {
            var start = segment * _segmentEntries + 1;
            var content = new List<Entry>(_segmentEntries);
            // Only entries of the log this store knows: a row past its end may hold entries of a Ready that never
            // completed, and a row below its start entries a snapshot covers.
            var existing = await GetSegmentAsync(segment);
            foreach (var entry in existing)
                if (_lastIndex > 0 && entry.Index >= _firstIndex && entry.Index < first) content.Add(entry);
            for (var index = Math.Max(start, first); index <= Math.Min(last, start + _segmentEntries - 1); index++)
                content.Add(entries[(int)(index - first)]);
            await WriteSegmentAsync(segment, content);
        }
        if (_lastIndex == 0 || first < _firstIndex) _firstIndex = first;
        _lastIndex = last;
    }

    /// <summary>Rewrites, unchanged, the head row (creating it if there is none) and every segment holding entries
    /// above <paramref name="committed"/> (without the entries past the log's end): right after loading, so that an
    /// older activation's write of them landing later fails on its ETag. Only uncommitted entries are ever replaced
    /// or truncated, and only the head's moves change which rows form the log.</summary>
    public async ValueTask ReclaimAsync(long committed)
    {
        await WriteHeadAsync(Head.FirstSegment, Head.CleanFrom);
        if (_lastIndex == 0 || committed >= _lastIndex) return;
        for (var segment = SegmentOf(Math.Max(committed + 1, _firstIndex)); segment <= SegmentOf(_lastIndex); segment++)
        {
            var content = new List<Entry>(_segmentEntries);
            foreach (var entry in await GetSegmentAsync(segment))
                if (entry.Index >= _firstIndex && entry.Index <= _lastIndex) content.Add(entry);
            await WriteSegmentAsync(segment, content);
        }
    }

    /// <summary>Deletes the segments that hold only entries at or below <paramref name="throughIndex"/>. Entries of the
    /// segment it falls in stay until the next compaction passes the segment's end: the node ignores what its
    /// snapshot covers.</summary>
    public async ValueTask CompactAsync(long throughIndex, CancellationToken cancellationToken = default)
    {
        await MoveStartAsync(throughIndex);
        while (HasGarbage) await DeleteGarbageAsync(int.MaxValue);
    }

    /// <summary>The first half of <see cref="CompactAsync"/>: one write moves the log's start past the segments that
    /// hold only entries at or below <paramref name="throughIndex"/>; they are no longer part of the log, and
    /// <see cref="DeleteGarbageAsync"/> removes them later, a few at a time. A crash in between leaves them to the
    /// next cleanup.</summary>
    public async ValueTask MoveStartAsync(long throughIndex)
    {
        if (_lastIndex == 0 || throughIndex < _firstIndex) return;
        var newFirst = throughIndex >= _lastIndex ? SegmentOf(_lastIndex) + 1 : SegmentOf(throughIndex + 1);
        if (newFirst <= Head.FirstSegment) return;
        await WriteHeadAsync(newFirst, Head.CleanFrom);
        if (throughIndex >= _lastIndex) _firstIndex = _lastIndex = 0;
        else _firstIndex = Math.Max(_firstIndex, newFirst * _segmentEntries + 1);
    }

    /// <summary>Whether segments below the log's start are still stored.</summary>
    public bool HasGarbage => NextGarbage < Head.FirstSegment;

    /// <summary>Deletes up to <paramref name="maxSegments"/> segments below the log's start, lowest first; once none
    /// is left, records that in the head row.</summary>
    public async ValueTask DeleteGarbageAsync(int maxSegments)
    {
        var first = Head.FirstSegment;
        var segment = NextGarbage;
        for (var deleted = 0; deleted < maxSegments && segment < first; deleted++, segment++) await DeleteSegmentAsync(segment);
        _garbageCursor = segment;
        if (segment >= first && Head.CleanFrom < first) await WriteHeadAsync(first, first);
    }

    // Deleted this activation, not yet recorded in the head row (recorded once all are gone; after a crash the
    // cleanup starts again at the head's CleanFrom, and deleting a missing row is a no-op).
    private long NextGarbage => Math.Max(_garbageCursor, Head.CleanFrom);

    public async ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        if (_lastIndex == 0 && Head.CleanFrom == Head.FirstSegment) return;
        var lastSegment = _lastIndex == 0 ? Head.FirstSegment - 1 : SegmentOf(_lastIndex);
        for (var segment = lastSegment; segment >= Head.CleanFrom; segment--) await DeleteSegmentAsync(segment);
        var next = lastSegment + 1;
        await WriteHeadAsync(next, next);
        _firstIndex = _lastIndex = 0;
    }

    private LogHeadRecord Head => _head.State ??= new LogHeadRecord();

    private long SegmentOf(long index) => Math.Max(0, index - 1) / _segmentEntries;

    private async ValueTask WriteHeadAsync(long firstSegment, long cleanFrom)
    {
        _head.State = RowChecksums.Seal(new LogHeadRecord { FirstSegment = firstSegment, CleanFrom = cleanFrom });
        await _storage.WriteStateAsync(HeadName, _grainId, _head);
    }

    private async ValueTask<List<Entry>> GetSegmentAsync(long segment) =>
        (_segments.TryGetValue(segment, out var row) ? row : await ReadSegmentAsync(segment)).State?.Entries ?? [];

    /// <summary>Reads a segment row, verifies its checksums, and remembers it (with its ETag) for later writes.
    /// Throws if an activation of a later generation wrote it: this one has been superseded.</summary>
    private async ValueTask<GrainState<LogSegmentRecord>> ReadSegmentAsync(long segment)
    {
        var name = SegmentName(segment);
        var row = new GrainState<LogSegmentRecord>(new LogSegmentRecord());
        await RowReader.ReadAsync(_storage, name, _grainId, row);
        // A cleared row reads as existing, with a new empty state (the ADO.NET provider keeps its version).
        if (row.RecordExists && row.State is { } read && (read.Format != 0 || read.Entries.Count > 0 || read.Checksums.Count > 0))
            RowChecksums.Verify(read, RowReader.Describe(_grainId, name));
        if (row.State is { } state && state.Writer > Generation)
            throw new InconsistentStateException($"{RowReader.Describe(_grainId, name)} was written by a newer activation (generation {state.Writer}; this one is {Generation}).");
        _segments[segment] = row;
        return row;
    }

    private async ValueTask WriteSegmentAsync(long segment, List<Entry> content)
    {
        var row = _segments.TryGetValue(segment, out var known) ? known : await ReadSegmentAsync(segment);
        if (content.Count == 0 && IsEmpty(row)) return;
        row.State = RowChecksums.Seal(content, Generation);
        await _storage.WriteStateAsync(SegmentName(segment), _grainId, row);
    }

    /// <summary>Clears a segment row. The row stays known, with the ETag the clear gave it (a version that counts on
    /// with the ADO.NET provider), so that a later write of it is checked too.</summary>
    private async ValueTask DeleteSegmentAsync(long segment)
    {
        var row = _segments.TryGetValue(segment, out var known) ? known : await ReadSegmentAsync(segment);
        if (IsEmpty(row)) return;
        await _storage.ClearStateAsync(SegmentName(segment), _grainId, row);
        row.State = new LogSegmentRecord();
    }

    private static bool IsEmpty(GrainState<LogSegmentRecord> row) => !row.RecordExists || row.State is null || row.State.Entries.Count == 0;
}
