using System.Text;
using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.Core.Tests.Simulation.Kv;

/// <summary>A write as it travels through the log: the client's session id and sequence number make a retried
/// write recognisable, so the state machine applies it once however many times it was committed.</summary>
internal sealed record KvCommand(int ClientId, long Sequence, KvInput Input)
{
    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(ClientId);
            writer.Write(Sequence);
            writer.Write((byte)Input.Kind);
            writer.Write(Input.Key);
            WriteOptional(writer, Input.Value);
            WriteOptional(writer, Input.Expected);
        }
        return buffer.ToArray();
    }

    public static KvCommand Decode(byte[] data)
    {
        using var reader = new BinaryReader(new MemoryStream(data), Encoding.UTF8);
        var clientId = reader.ReadInt32();
        var sequence = reader.ReadInt64();
        var kind = (KvOpKind)reader.ReadByte();
        var key = reader.ReadString();
        var value = ReadOptional(reader);
        var expected = ReadOptional(reader);
        return new KvCommand(clientId, sequence, new KvInput(kind, key, value, expected));
    }

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null) writer.Write(value);
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}
