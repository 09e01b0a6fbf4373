using System.IO.Hashing;
using OrleansRaft.Kv;

namespace OrleansRaft.Grains.Kv;

/// <summary>
/// The KV state machine's snapshot format: a magic and version, the data and the session table in key order (so
/// equal states encode to equal bytes on every replica), and a CRC32 of everything before it.
/// </summary>
internal static class KvSnapshotCodec
{
    private const uint Magic = 0x4B565331; // "KVS1"
    private const byte Version = 1;

    public static byte[] Encode(IReadOnlyDictionary<string, string> data, IEnumerable<KvSessions.SessionState> sessions)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(data.Count);
            foreach (var (key, value) in data.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.Write(key);
                writer.Write(value);
            }
            var list = sessions.ToList();
            writer.Write(list.Count);
            foreach (var session in list)
            {
                writer.Write(session.ClientId);
                writer.Write(session.Floor);
                writer.Write(session.LastActiveIndex);
                writer.Write(session.Results.Count);
                foreach (var (sequence, result) in session.Results)
                {
                    writer.Write(sequence);
                    writer.Write((byte)result.Status);
                    writer.Write(result.Value is not null);
                    if (result.Value is not null) writer.Write(result.Value);
                }
            }
        }
        var crc = Crc32.HashToUInt32(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        buffer.Write(BitConverter.GetBytes(crc));
        return buffer.ToArray();
    }

    public static (Dictionary<string, string> Data, List<KvSessions.SessionState> Sessions) Decode(byte[] snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Length < 13) throw new InvalidDataException($"KV snapshot of {snapshot.Length} bytes is too short.");
        var body = snapshot.AsSpan(0, snapshot.Length - 4);
        if (Crc32.HashToUInt32(body) != BitConverter.ToUInt32(snapshot, snapshot.Length - 4))
            throw new InvalidDataException("KV snapshot checksum mismatch.");
        try
        {
            using var reader = new BinaryReader(new MemoryStream(snapshot, 0, snapshot.Length - 4));
            if (reader.ReadUInt32() != Magic) throw new InvalidDataException("Not a KV snapshot (bad magic).");
            var version = reader.ReadByte();
            if (version != Version) throw new InvalidDataException($"KV snapshot version {version}; this version reads {Version} only.");
            var data = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var n = reader.ReadInt32(); n > 0; n--) data[reader.ReadString()] = reader.ReadString();
            var sessions = new List<KvSessions.SessionState>();
            for (var n = reader.ReadInt32(); n > 0; n--)
            {
                var client = reader.ReadString();
                var floor = reader.ReadInt64();
                var lastActive = reader.ReadInt64();
                var results = new List<(long, KvResult)>();
                for (var r = reader.ReadInt32(); r > 0; r--)
                {
                    var sequence = reader.ReadInt64();
                    var status = (KvStatus)reader.ReadByte();
                    var value = reader.ReadBoolean() ? reader.ReadString() : null;
                    results.Add((sequence, new KvResult(status, value)));
                }
                sessions.Add(new KvSessions.SessionState(client, floor, lastActive, results));
            }
            if (reader.BaseStream.Position != reader.BaseStream.Length)
                throw new InvalidDataException("KV snapshot has bytes after its end.");
            return (data, sessions);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("KV snapshot is truncated.", e);
        }
    }
}
