using System.Text;
using OrleansRaft.Kv;

namespace OrleansRaft.Grains.Kv;

/// <summary>
/// Compact, versioned binary form of commands and results. It is what the log stores, so it must stay
/// readable forever: add fields only behind a new version byte, never reinterpret old ones.
/// </summary>
internal static class KvCodec
{
    // Version 2 added the session's lowest unanswered sequence number.
    private const byte CommandVersion = 2;
    private const byte ResultVersion = 1;

    public static byte[] Encode(KvCommand command)
    {
        using var stream = new MemoryStream(32 + command.Key.Length + (command.Value?.Length ?? 0));
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(CommandVersion);
            writer.Write((byte)command.Op);
            writer.Write(command.Key);
            WriteOptional(writer, command.Value);
            WriteOptional(writer, command.Expected);
            writer.Write(command.Session is not null);
            if (command.Session is { } session)
            {
                writer.Write(session.ClientId);
                writer.Write(session.Sequence);
                writer.Write(session.LowestUnanswered);
            }
        }
        return stream.ToArray();
    }

    public static KvCommand DecodeCommand(byte[] data)
    {
        using var reader = new BinaryReader(new MemoryStream(data, writable: false), Encoding.UTF8);
        var version = reader.ReadByte();
        if (version is < 1 or > CommandVersion)
            throw new InvalidDataException($"Unknown KV command version {version}.");
        var op = (KvOp)reader.ReadByte();
        if (!Enum.IsDefined(op))
            throw new InvalidDataException($"Unknown KV operation {(byte)op}.");
        var key = reader.ReadString();
        var value = ReadOptional(reader);
        var expected = ReadOptional(reader);
        RequestId? session = reader.ReadBoolean()
            ? new RequestId(reader.ReadString(), reader.ReadInt64(), version >= 2 ? reader.ReadInt64() : 0)
            : null;
        return new KvCommand(op, key, value, expected, session);
    }

    public static byte[] Encode(KvResult result)
    {
        using var stream = new MemoryStream(8 + (result.Value?.Length ?? 0));
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(ResultVersion);
            writer.Write((byte)result.Status);
            WriteOptional(writer, result.Value);
        }
        return stream.ToArray();
    }

    public static KvResult DecodeResult(byte[] data)
    {
        using var reader = new BinaryReader(new MemoryStream(data, writable: false), Encoding.UTF8);
        var version = reader.ReadByte();
        if (version != ResultVersion)
            throw new InvalidDataException($"Unknown KV result version {version}.");
        return new KvResult((KvStatus)reader.ReadByte(), ReadOptional(reader));
    }

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null) writer.Write(value);
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}
