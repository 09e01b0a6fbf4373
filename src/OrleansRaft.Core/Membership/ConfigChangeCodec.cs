using System.Text;

namespace OrleansRaft.Core.Membership;

/// <summary>The bytes of a <see cref="EntryType.ConfigChange"/> entry: the change and the configuration it results in.
/// Carrying the result, not only the change, lets a peer take the configuration in force from the latest such entry
/// alone, without replaying earlier ones (which compaction may have discarded).</summary>
public static class ConfigChangeCodec
{
    private const byte Version = 1;

    public static byte[] Encode(ConfigChange change, Configuration result)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write((byte)change.Type);
            writer.Write(change.Peer);
            WriteConfiguration(writer, result);
        }
        return stream.ToArray();
    }

    /// <summary>Throws <see cref="InvalidDataException"/> for bytes that are not a change this version wrote.</summary>
    public static (ConfigChange Change, Configuration Result) Decode(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(data), Encoding.UTF8);
            var version = reader.ReadByte();
            if (version != Version) throw new InvalidDataException($"membership change format {version} is not known to this version (expected {Version})");
            var type = (ConfigChangeType)reader.ReadByte();
            if (!Enum.IsDefined(type)) throw new InvalidDataException($"membership change type {(int)type} is not known to this version");
            var change = new ConfigChange(type, reader.ReadString());
            var result = ReadConfiguration(reader);
            if (reader.BaseStream.Position != data.Length)
                throw new InvalidDataException($"{data.Length - reader.BaseStream.Position} bytes follow the membership change");
            return (change, result);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or OverflowException or FormatException)
        {
            throw new InvalidDataException($"the membership change entry does not decode: {e.Message}", e);
        }
    }

    public static void WriteConfiguration(BinaryWriter writer, Configuration configuration)
    {
        writer.Write(configuration.Voters.Count);
        foreach (var voter in configuration.Voters) writer.Write(voter);
        writer.Write(configuration.Learners.Count);
        foreach (var learner in configuration.Learners) writer.Write(learner);
    }

    public static Configuration ReadConfiguration(BinaryReader reader)
    {
        var voters = ReadPeers(reader);
        var learners = ReadPeers(reader);
        return new Configuration(voters, learners);
    }

    /// <summary>A count, then that many ids. Every id takes at least one byte, so a count above the bytes left is
    /// garbage: refused before anything is allocated for it.</summary>
    private static string[] ReadPeers(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        var left = reader.BaseStream.Length - reader.BaseStream.Position;
        if (count < 0 || count > left) throw new InvalidDataException($"a configuration of {count} peers cannot fit in the {left} bytes left");
        var peers = new string[count];
        for (var i = 0; i < count; i++) peers[i] = reader.ReadString();
        return peers;
    }
}
