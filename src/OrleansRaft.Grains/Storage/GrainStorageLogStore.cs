using OrleansRaft.Core;
using OrleansRaft.Core.Storage;
using Orleans.Storage;

namespace OrleansRaft.Grains.Storage;

/// <summary>
/// A peer's log as fixed-size segments, one grain-storage row each (state name <c>raft.log.{n}</c>). An append
/// rewrites only the one or two segments it touches, so its cost does not grow with the log.
/// </summary>
/// <remarks>Crash safety: when an append replaces a suffix, the segments past the new start are cleared
/// first, highest first, and new segments are written lowest first. A crash at any point leaves a prefix of
/// the old log followed by a prefix of the new entries: never a mix of old entries after new ones.</remarks>
public sealed class GrainStorageLogStore : ILogStore
{
    private readonly IGrainStorage _storage;
    private readonly GrainId _grainId;
    private readonly int _segmentEntries;
    private readonly Dictionary<long, GrainState<LogSegmentRecord>> _segments = [];
    private long _lastIndex;

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
        var entries = new List<Entry>();
        _segments.Clear();
        for (long segment = 0; ; segment++)
        {
            var row = await ReadSegmentAsync(segment);
            if (!row.RecordExists || row.State is null || row.State.Entries.Count == 0) break;
            foreach (var entry in row.State.Entries)
            {
                if (entry.Index != entries.Count + 1)
                    throw new RaftStorageCorruptedException(RowReader.Describe(_grainId, SegmentName(segment)), $"holds index {entry.Index} where {entries.Count + 1} was expected");
                entries.Add(entry);
            }
        }
        _lastIndex = entries.Count;
        return entries;
    }

    public async ValueTask AppendAsync(IReadOnlyList<Entry> entries, CancellationToken cancellationToken = default)
    {
        LogStoreRules.CheckAppend(entries, _lastIndex == 0 ? 0 : 1, _lastIndex);
        if (entries.Count == 0) return;
        var first = entries[0].Index;
        var last = entries[^1].Index;

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
        _lastIndex = last;
    }

    private long SegmentOf(long index) => Math.Max(0, index - 1) / _segmentEntries;

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
}
