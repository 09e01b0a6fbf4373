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
            var change = new ConfigChange((ConfigChangeType)reader.ReadByte(), reader.ReadString());
            return (change, ReadConfiguration(reader));
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException)
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
        var voters = new string[reader.ReadInt32()];
        for (var i = 0; i < voters.Length; i++) voters[i] = reader.ReadString();
        var learners = new string[reader.ReadInt32()];
        for (var i = 0; i < learners.Length; i++) learners[i] = reader.ReadString();
        return new Configuration(voters, learners);
    }
}
