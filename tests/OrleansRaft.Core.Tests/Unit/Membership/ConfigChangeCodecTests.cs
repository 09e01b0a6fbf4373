using OrleansRaft.Core.Membership;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Membership;

/// <summary><see cref="ConfigChangeCodec"/>: what it encodes decodes to the same change and configuration, and
/// bytes it did not write are refused with <see cref="InvalidDataException"/>, never another exception and never
/// a configuration made up from garbage.</summary>
public sealed class ConfigChangeCodecTests
{
    public static TheoryData<ConfigChangeType, string, string, string> RoundTrips => new()
    {
        // change type, peer, resulting voters, resulting learners.
        { ConfigChangeType.AddLearner, "4", "1 2 3", "4" },
        { ConfigChangeType.Promote, "4", "1 2 3 4", "" },
        { ConfigChangeType.Remove, "1", "2 3", "" },
        { ConfigChangeType.Remove, "9", "1", "" },
        { ConfigChangeType.AddLearner, "node-ü-東京", "silo-a/p1 silo-b/p2", "node-ü-東京 x" },
        { ConfigChangeType.AddLearner, new string('p', 300), "1", new string('p', 300) },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void WhatIsEncodedDecodesTheSame(ConfigChangeType type, string peer, string voters, string learners)
    {
        var change = new ConfigChange(type, peer);
        var result = Conf(voters, learners);

        var (decodedChange, decodedResult) = ConfigChangeCodec.Decode(ConfigChangeCodec.Encode(change, result));

        Assert.Equal(change, decodedChange);
        Assert.Equal(result, decodedResult);
    }

    /// <summary>Equal configurations encode to equal bytes, whatever order the peers were given in.</summary>
    [Fact]
    public void EqualConfigurationsEncodeTheSame()
    {
        var change = new ConfigChange(ConfigChangeType.AddLearner, "5");

        Assert.Equal(
            ConfigChangeCodec.Encode(change, new Configuration(["3", "1", "2"], ["5", "4"])),
            ConfigChangeCodec.Encode(change, new Configuration(["1", "2", "3"], ["4", "5"])));
    }

    private static byte[] Valid => ConfigChangeCodec.Encode(new ConfigChange(ConfigChangeType.AddLearner, "4"), Conf("1 2 3", "4"));

    public static TheoryData<string, byte[]> Garbage()
    {
        var valid = Valid;
        var data = new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "unknown format version 0", [0, .. valid[1..]] },
            { "unknown format version 2", [2, .. valid[1..]] },
            { "voter count beyond the data", [1, 0, 1, (byte)'4', 50, 0, 0, 0] },
            { "a peer string longer than the data", [1, 0, 100, (byte)'4'] },
            { "a voter twice", Encoded(writer => { Header(writer); Strings(writer, "1", "1"); Strings(writer); }) },
            { "a peer both voter and learner", Encoded(writer => { Header(writer); Strings(writer, "1", "4"); Strings(writer, "4"); }) },
            { "an empty peer id", Encoded(writer => { Header(writer); Strings(writer, ""); Strings(writer); }) },
        };
        for (var length = 1; length < valid.Length; length++) data.Add($"cut after {length} bytes", valid[..length]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void GarbageIsRefusedWithInvalidDataException(string what, byte[] bytes)
    {
        Assert.NotNull(what);
        Assert.Throws<InvalidDataException>(() => ConfigChangeCodec.Decode(bytes));
    }

    public static TheoryData<string, byte[]> GarbageTheCoreAccepts() => new()
    {
        { "unknown change type 7", [Valid[0], 7, .. Valid[2..]] },
        { "trailing bytes", [.. Valid, 0xFF, 0xFF] },
        { "negative voter count", Encoded(writer => { Header(writer); writer.Write(-1); }) },
        { "voter count of int.MaxValue", Encoded(writer => { Header(writer); writer.Write(int.MaxValue); }) },
    };

    /// <summary>Bytes this version did not write, which the decoder takes for a change (the first two), or answers
    /// with an exception other than InvalidDataException: OverflowException for a negative count, an attempt to
    /// allocate an array of int.MaxValue peers (OutOfMemoryException) for a huge one.</summary>
    [Theory]
    [MemberData(nameof(GarbageTheCoreAccepts))]
    public void MoreGarbageIsRefusedWithInvalidDataException(string what, byte[] bytes)
    {
        Assert.NotNull(what);
        Assert.Throws<InvalidDataException>(() => ConfigChangeCodec.Decode(bytes));
    }

    [Fact]
    public void EncodeRefusesNull()
    {
        Assert.Throws<ArgumentNullException>(() => ConfigChangeCodec.Encode(null!, Configuration.Empty));
        Assert.Throws<ArgumentNullException>(() => ConfigChangeCodec.Encode(new ConfigChange(ConfigChangeType.Remove, "1"), null!));
        Assert.Throws<ArgumentNullException>(() => ConfigChangeCodec.Decode(null!));
    }

    private static void Header(BinaryWriter writer)
    {
        writer.Write((byte)1);
        writer.Write((byte)ConfigChangeType.AddLearner);
        writer.Write("4");
    }

    private static void Strings(BinaryWriter writer, params string[] values)
    {
        writer.Write(values.Length);
        foreach (var value in values) writer.Write(value);
    }

    private static byte[] Encoded(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) write(writer);
        return stream.ToArray();
    }
}
