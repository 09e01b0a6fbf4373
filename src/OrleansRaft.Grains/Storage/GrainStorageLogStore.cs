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
/// before deleting the segments below it; clearing deletes segments highest first, then moves the head.</remarks>
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

    public GrainStorageLogStore(IGrainStorage storage, GrainId grainId, int segmentEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentEntries, 1);
        _storage = storage;
        _grainId = grainId;
        _segmentEntries = segmentEntries;
    }

    public static string SegmentName(long segment) => $"raft.log.{segment}";

    public async ValueTask<IReadOnlyList<Entry>> LoadAsync(CancellationToken cancellationToken = default)
    {
        await RowReader.ReadAsync(_storage, HeadName, _grainId, _head);
        if (!_head.RecordExists || _head.State is null) _head.State = new LogHeadRecord();
        else RowChecksums.Verify(_head.State, RowReader.Describe(_grainId, HeadName));

        var entries = new List<Entry>();
        _segments.Clear();
        for (var segment = _head.State.FirstSegment; ; segment++)
        {
            var row = await ReadSegmentAsync(segment);
            if (!row.RecordExists || row.State is null || row.State.Entries.Count == 0) break;
            foreach (var entry in row.State.Entries)
            {
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
            var existing = await GetSegmentAsync(segment);
            foreach (var entry in existing)
                if (entry.Index < first) content.Add(entry);
            for (var index = Math.Max(start, first); index <= Math.Min(last, start + _segmentEntries - 1); index++)
                content.Add(entries[(int)(index - first)]);
            await WriteSegmentAsync(segment, content);
        }
        if (_lastIndex == 0 || first < _firstIndex) _firstIndex = first;
        _lastIndex = last;
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

    /// <summary>Reads a segment row, verifies its checksums, and remembers it (with its ETag) for later writes.</summary>
    private async ValueTask<GrainState<LogSegmentRecord>> ReadSegmentAsync(long segment)
    {
        var name = SegmentName(segment);
        var row = new GrainState<LogSegmentRecord>(new LogSegmentRecord());
        await RowReader.ReadAsync(_storage, name, _grainId, row);
        if (row.RecordExists && row.State is not null) RowChecksums.Verify(row.State, RowReader.Describe(_grainId, name));
        _segments[segment] = row;
        return row;
    }

    private async ValueTask WriteSegmentAsync(long segment, List<Entry> content)
    {
        var row = _segments.TryGetValue(segment, out var known) ? known : await ReadSegmentAsync(segment);
        if (content.Count == 0 && (!row.RecordExists || row.State is null || row.State.Entries.Count == 0)) return;
        row.State = RowChecksums.Seal(content);
        await _storage.WriteStateAsync(SegmentName(segment), _grainId, row);
    }

    private async ValueTask DeleteSegmentAsync(long segment)
    {
        var row = _segments.TryGetValue(segment, out var known) ? known : await ReadSegmentAsync(segment);
        _segments.Remove(segment);
        if (!row.RecordExists) return;
        await _storage.ClearStateAsync(SegmentName(segment), _grainId, row);
    }
}
