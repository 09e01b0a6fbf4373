using OrleansRaft.Core;

namespace OrleansRaft.Grains.Storage;

// Rows of a peer's persisted state. Each is its own grain-storage row (state name + grain id), so that an
// append rewrites one small segment, never the whole log. Every row carries its format version and
// checksums, verified when read back. Never renumber an [Id].

/// <summary>The peer row: who the peer is (written once, at bootstrap), its term and vote, and how far its durable
/// log reaches. Every Ready that persists anything ends by rewriting it with its ETag, so this one row fences every
/// other row of the peer: an activation whose copy is stale can write nothing durable that it then acts on.</summary>
[GenerateSerializer, Alias("OrleansRaft.PeerRecord")]
public sealed class PeerRecord
{
    [Id(0)] public long Term { get; set; }
    [Id(1)] public string? Vote { get; set; }
    /// <summary>Bumped by every write: the fence's generation, shown in logs.</summary>
    [Id(2)] public long Sequence { get; set; }
    [Id(3)] public int Format { get; set; }
    [Id(4)] public uint Checksum { get; set; }
    /// <summary>Identity, null until bootstrap: the peer's group, index and node, and the storage's incarnation
    /// (a fresh id per bootstrap, so a restored copy of other storage can be told apart).</summary>
    [Id(5)] public string? Group { get; set; }
    [Id(6)] public int Peer { get; set; }
    [Id(7)] public string? Node { get; set; }
    [Id(8)] public string? Incarnation { get; set; }
    /// <summary>The group's configuration at bootstrap: the node of every peer, by peer index.</summary>
    [Id(9)] public List<string> Nodes { get; set; } = [];
    /// <summary>A commit index the peer had reached when the row was last written (it is written along with other
    /// writes, never on its own, so it may lag): a load trusts the log rows up to it and reclaims the ones above it.</summary>
    [Id(10)] public long Commit { get; set; }
    /// <summary>The last index of the durable log (or of the snapshot that replaced it) when the row was written.
    /// Stored entries after it belong to a Ready that never reached this row (a crash, or a superseded activation's
    /// write), and a load ignores them.</summary>
    [Id(11)] public long LogEnd { get; set; }
    /// <summary>Non-zero once the peer was removed from its group (the index of the removal) and its log and snapshot
    /// deleted: the row stays as a tombstone, so that the peer refuses to start rather than finding no storage.</summary>
    [Id(12)] public long RetiredAt { get; set; }
}

/// <summary>Up to <c>LogSegmentEntries</c> consecutive entries: segment n holds indexes n*S+1 .. (n+1)*S,
/// each with its own checksum.</summary>
[GenerateSerializer, Alias("OrleansRaft.LogSegmentRecord")]
public sealed class LogSegmentRecord
{
    [Id(0)] public List<Entry> Entries { get; set; } = [];
    [Id(1)] public int Format { get; set; }
    [Id(2)] public List<uint> Checksums { get; set; } = [];
    /// <summary>The generation (peer-row sequence at its claim) of the activation that wrote the row. An activation
    /// about to write a row it has not read before refuses if a newer one wrote it: it has been superseded.</summary>
    [Id(3)] public long Writer { get; set; }
    [Id(4)] public uint WriterChecksum { get; set; }
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

/// <summary>The current snapshot: its index (which names its chunk rows), and how to check them. Written only after
/// every chunk is, so that it always names a complete snapshot. A manifest with no chunks names no snapshot: an
/// activation writes one when it claims a peer that has none, so that a superseded activation's first install fails.</summary>
[GenerateSerializer, Alias("OrleansRaft.SnapshotManifestRecord")]
public sealed class SnapshotManifestRecord
{
    [Id(0)] public long Index { get; set; }
    [Id(1)] public long Term { get; set; }
    /// <summary>Unused since format 2 (chunks are named by the snapshot's index); kept so no id is renumbered.</summary>
    [Id(2)] public int Slot { get; set; }
    [Id(3)] public int Chunks { get; set; }
    [Id(4)] public long Length { get; set; }
    [Id(5)] public uint DataChecksum { get; set; }
    /// <summary>Chunks of the snapshot this one replaced (at <see cref="PreviousIndex"/>): deleted after the switch,
    /// and again by the next save if a crash interrupted that.</summary>
    [Id(6)] public int PreviousChunks { get; set; }
    [Id(9)] public long PreviousIndex { get; set; }
    [Id(7)] public int Format { get; set; }
    [Id(8)] public uint Checksum { get; set; }
    /// <summary>The configuration in force at the snapshot's index; null in manifests written before membership
    /// changes existed (the group's bootstrap configuration) and in one that names no snapshot.</summary>
    [Id(10)] public List<string>? Voters { get; set; }
    [Id(11)] public List<string>? Learners { get; set; }
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
    /// <summary>As <see cref="LogSegmentRecord.Writer"/>: chunk rows are read just before they are written.</summary>
    [Id(5)] public long Writer { get; set; }
}
