using OrleansRaft.Core;

namespace OrleansRaft.Grains.Storage;

// Rows of a peer's persisted state. Each is its own grain-storage row (state name + grain id), so that an
// append rewrites one small segment, never the whole log. Every row carries its format version and
// checksums, verified when read back. Never renumber an [Id].

/// <summary>Term and vote of a peer (the commit index is not persisted: it is relearned from the leader).</summary>
[GenerateSerializer, Alias("OrleansRaft.HardStateRecord")]
public sealed class HardStateRecord
{
    [Id(0)] public long Term { get; set; }
    [Id(1)] public string? Vote { get; set; }
    [Id(2)] public long Commit { get; set; }
    [Id(3)] public int Format { get; set; }
    [Id(4)] public uint Checksum { get; set; }
}

/// <summary>Up to <c>LogSegmentEntries</c> consecutive entries: segment n holds indexes n*S+1 .. (n+1)*S,
/// each with its own checksum.</summary>
[GenerateSerializer, Alias("OrleansRaft.LogSegmentRecord")]
public sealed class LogSegmentRecord
{
    [Id(0)] public List<Entry> Entries { get; set; } = [];
    [Id(1)] public int Format { get; set; }
    [Id(2)] public List<uint> Checksums { get; set; } = [];
}
