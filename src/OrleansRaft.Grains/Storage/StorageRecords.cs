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

/// <summary>Where a peer's log starts: its first segment, and the lowest segment that may still exist (compaction
/// deletes the segments between them after moving the start, so a crash in between leaves nothing behind for good).</summary>
[GenerateSerializer, Alias("OrleansRaft.LogHeadRecord")]
public sealed class LogHeadRecord
{
    [Id(0)] public long FirstSegment { get; set; }
    [Id(1)] public long CleanFrom { get; set; }
    [Id(2)] public int Format { get; set; }
    [Id(3)] public uint Checksum { get; set; }
}

/// <summary>The current snapshot: which slot holds its chunks, and how to check them. Written only after every
/// chunk of the slot is, so that it always names a complete snapshot.</summary>
[GenerateSerializer, Alias("OrleansRaft.SnapshotManifestRecord")]
public sealed class SnapshotManifestRecord
{
    [Id(0)] public long Index { get; set; }
    [Id(1)] public long Term { get; set; }
    [Id(2)] public int Slot { get; set; }
    [Id(3)] public int Chunks { get; set; }
    [Id(4)] public long Length { get; set; }
    [Id(5)] public uint DataChecksum { get; set; }
    /// <summary>Chunks the other slot held before this snapshot replaced it: deleted after the switch, and again by
    /// the next save if a crash interrupted that.</summary>
    [Id(6)] public int PreviousChunks { get; set; }
    [Id(7)] public int Format { get; set; }
    [Id(8)] public uint Checksum { get; set; }
}

/// <summary>One chunk of a snapshot's bytes.</summary>
[GenerateSerializer, Alias("OrleansRaft.SnapshotChunkRecord")]
public sealed class SnapshotChunkRecord
{
    [Id(0)] public long Index { get; set; }
    [Id(1)] public int Chunk { get; set; }
    [Id(2)] public byte[] Data { get; set; } = [];
    [Id(3)] public int Format { get; set; }
    [Id(4)] public uint Checksum { get; set; }
}
