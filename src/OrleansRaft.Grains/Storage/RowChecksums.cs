using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using OrleansRaft.Core;

namespace OrleansRaft.Grains.Storage;

/// <summary>
/// Seals and verifies persisted rows. A row that fails (a flipped bit, a truncated payload, a row written by an
/// incompatible version) stops the peer with a <see cref="RaftStorageCorruptedException"/> naming the row:
/// it is never silently reset, since a peer that forgot its vote or log could break safety.
/// </summary>
internal static class RowChecksums
{
    /// <summary>The row format this code writes and reads. A row with another format is refused. Format 3 (the peer
    /// row vouches for the log's end, log and chunk rows name their writer's generation) replaced format 2 (the peer
    /// row with identity, snapshot chunks named by index), which replaced format 1.</summary>
    public const int Format = 3;

    public static uint Of(Entry entry)
    {
        var crc = new Crc32();
        Span<byte> header = stackalloc byte[17];
        BinaryPrimitives.WriteInt64LittleEndian(header, entry.Index);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], entry.Term);
        header[16] = (byte)entry.Type;
        crc.Append(header);
        crc.Append(entry.Data);
        return crc.GetCurrentHashAsUInt32();
    }

    public static uint Of(PeerRecord row)
    {
        var crc = new Crc32();
        Span<byte> numbers = stackalloc byte[36];
        BinaryPrimitives.WriteInt64LittleEndian(numbers, row.Term);
        BinaryPrimitives.WriteInt64LittleEndian(numbers[8..], row.Sequence);
        BinaryPrimitives.WriteInt32LittleEndian(numbers[16..], row.Peer);
        BinaryPrimitives.WriteInt64LittleEndian(numbers[20..], row.Commit);
        BinaryPrimitives.WriteInt64LittleEndian(numbers[28..], row.LogEnd);
        crc.Append(numbers);
        // Only a retired row sums its retirement, so rows written before retirement existed still verify.
        if (row.RetiredAt != 0)
        {
            BinaryPrimitives.WriteInt64LittleEndian(numbers, row.RetiredAt);
            crc.Append(numbers[..8]);
        }
        // Each text with a terminator, so that moving characters from one field into the next changes the sum.
        foreach (var text in (string?[])[row.Vote, row.Group, row.Node, row.Incarnation, .. row.Nodes ?? []])
        {
            crc.Append(Encoding.UTF8.GetBytes(text ?? "\u0001"));
            crc.Append([0]);
        }
        return crc.GetCurrentHashAsUInt32();
    }

    public static uint Of(LogHeadRecord row) => Numbers(row.FirstSegment, row.CleanFrom);

    public static uint Of(SnapshotManifestRecord row)
    {
        var numbers = Numbers(row.Index, row.Term, row.Chunks, row.Length, row.DataChecksum, row.PreviousChunks, row.PreviousIndex);
        // A manifest without a configuration sums as it did before there was one, so such rows still verify.
        if (row.Voters is null) return numbers;
        var crc = new Crc32();
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(head, numbers);
        BinaryPrimitives.WriteInt32LittleEndian(head[4..], row.Voters.Count);
        crc.Append(head);
        foreach (var peer in (string[])[.. row.Voters, "\u0002", .. row.Learners ?? []])
        {
            crc.Append(Encoding.UTF8.GetBytes(peer));
            crc.Append([0]);
        }
        return crc.GetCurrentHashAsUInt32();
    }

    public static uint Of(SnapshotChunkRecord row)
    {
        var crc = new Crc32();
        Span<byte> header = stackalloc byte[20];
        BinaryPrimitives.WriteInt64LittleEndian(header, row.Index);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], row.Chunk);
        BinaryPrimitives.WriteInt64LittleEndian(header[12..], row.Writer);
        crc.Append(header);
        crc.Append(row.Data);
        return crc.GetCurrentHashAsUInt32();
    }

    public static uint OfData(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(data);

    private static uint Numbers(params long[] values)
    {
        var crc = new Crc32();
        Span<byte> buffer = stackalloc byte[8];
        foreach (var value in values)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
            crc.Append(buffer);
        }
        return crc.GetCurrentHashAsUInt32();
    }

    public static LogHeadRecord Seal(LogHeadRecord row)
    {
        row.Format = Format;
        row.Checksum = Of(row);
        return row;
    }

    public static SnapshotManifestRecord Seal(SnapshotManifestRecord row)
    {
        row.Format = Format;
        row.Checksum = Of(row);
        return row;
    }

    public static SnapshotChunkRecord Seal(SnapshotChunkRecord row)
    {
        row.Format = Format;
        row.Checksum = Of(row);
        return row;
    }

    public static void Verify(LogHeadRecord row, string where)
    {
        CheckFormat(row.Format, where);
        if (Of(row) != row.Checksum) throw new RaftStorageCorruptedException(where, "checksum mismatch");
    }

    public static void Verify(SnapshotManifestRecord row, string where)
    {
        CheckFormat(row.Format, where);
        if (Of(row) != row.Checksum) throw new RaftStorageCorruptedException(where, "checksum mismatch");
    }

    public static void Verify(SnapshotChunkRecord row, long index, int chunk, string where)
    {
        CheckFormat(row.Format, where);
        if (Of(row) != row.Checksum) throw new RaftStorageCorruptedException(where, "checksum mismatch");
        if (row.Index != index || row.Chunk != chunk)
            throw new RaftStorageCorruptedException(where, $"holds chunk {row.Chunk} of the snapshot at index {row.Index} where chunk {chunk} of the snapshot at index {index} was expected");
    }

    public static LogSegmentRecord Seal(List<Entry> entries, long writer) =>
        new() { Entries = entries, Format = Format, Checksums = entries.ConvertAll(Of), Writer = writer, WriterChecksum = Numbers(writer) };

    public static PeerRecord Seal(PeerRecord row)
    {
        row.Format = Format;
        row.Checksum = Of(row);
        return row;
    }

    public static void Verify(LogSegmentRecord row, string where)
    {
        CheckFormat(row.Format, where);
        if (row.Checksums.Count != row.Entries.Count)
            throw new RaftStorageCorruptedException(where, $"{row.Entries.Count} entries but {row.Checksums.Count} checksums");
        if (Numbers(row.Writer) != row.WriterChecksum) throw new RaftStorageCorruptedException(where, "checksum mismatch in its writer");
        for (var i = 0; i < row.Entries.Count; i++)
        {
            if (Of(row.Entries[i]) != row.Checksums[i])
                throw new RaftStorageCorruptedException(where, $"checksum mismatch in the entry at index {row.Entries[i].Index}");
        }
    }

    public static void Verify(PeerRecord row, string where)
    {
        CheckFormat(row.Format, where);
        if (Of(row) != row.Checksum) throw new RaftStorageCorruptedException(where, "checksum mismatch");
    }

    private static void CheckFormat(int format, string where)
    {
        if (format != Format)
            throw new RaftStorageCorruptedException(where, $"row format {format}; this version reads format {Format} only");
    }
}

/// <summary>Persisted Raft state that cannot be trusted. The peer stops; an operator must look at the row.</summary>
[GenerateSerializer, Alias("OrleansRaft.RaftStorageCorruptedException")]
public sealed class RaftStorageCorruptedException : Exception
{
    public RaftStorageCorruptedException(string row, string problem, Exception? inner = null)
        : base($"Corrupted Raft storage at {row}: {problem}. The peer stays stopped rather than forget what it persisted.", inner) => Row = row;

    [Id(0)] public string Row { get; private set; }
}
