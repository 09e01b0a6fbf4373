namespace OrleansRaft.Core.Tests.Unit;

/// <summary>Every unusable setting is refused up front, by a <see cref="RaftConfigException"/> that names it.</summary>
public sealed class RaftConfigValidationTests
{
    private static readonly RaftConfig Valid = new() { Id = "a", Peers = ["a", "b", "c"] };

    public static TheoryData<string, RaftConfig> Invalid => new()
    {
        { nameof(RaftConfig.Id), Valid with { Id = "" } },
        { nameof(RaftConfig.Id), Valid with { Id = "  " } },
        { nameof(RaftConfig.MaxPromotionLagEntries), Valid with { MaxPromotionLagEntries = -1 } },
        { nameof(RaftConfig.Peers), Valid with { Peers = [] } },
        { nameof(RaftConfig.Peers), Valid with { Peers = null! } },
        { nameof(RaftConfig.Peers), Valid with { Peers = ["a", "b", "a"] } },
        { nameof(RaftConfig.Peers), Valid with { Peers = ["a", ""] } },
        { nameof(RaftConfig.Peers), Valid with { Peers = ["a", " "] } },
        { nameof(RaftConfig.HeartbeatTicks), Valid with { HeartbeatTicks = 0 } },
        { nameof(RaftConfig.HeartbeatTicks), Valid with { HeartbeatTicks = -1 } },
        { nameof(RaftConfig.ElectionTicks), Valid with { ElectionTicks = 1, HeartbeatTicks = 1 } },
        { nameof(RaftConfig.ElectionTicks), Valid with { ElectionTicks = 3, HeartbeatTicks = 5 } },
        { nameof(RaftConfig.ElectionTicks), Valid with { ElectionTicks = 0 } },
        { nameof(RaftConfig.MaxInflightMessages), Valid with { MaxInflightMessages = 0 } },
        { nameof(RaftConfig.MaxInflightMessages), Valid with { MaxInflightMessages = -5 } },
        { nameof(RaftConfig.MaxMessageBytes), Valid with { MaxMessageBytes = 0 } },
        { nameof(RaftConfig.MaxEntryBytes), Valid with { MaxEntryBytes = 0 } },
        { nameof(RaftConfig.MaxUncommittedBytes), Valid with { MaxUncommittedBytes = 0 } },
        { nameof(RaftConfig.MaxUncommittedBytes), Valid with { MaxUncommittedBytes = -1 } },
        { nameof(RaftConfig.MaxUncommittedBytes), Valid with { MaxEntryBytes = 1000, MaxUncommittedBytes = 999 } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_NamesTheInvalidOption(string option, RaftConfig config)
    {
        var error = Assert.Throws<RaftConfigException>(config.Validate);

        Assert.Equal(option, error.Option);
        Assert.Equal(option, error.ParamName);
        Assert.StartsWith(option + ":", error.Message);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Constructor_RefusesInvalidConfig(string option, RaftConfig config)
    {
        var error = Assert.Throws<RaftConfigException>(() => new RaftNode(config));

        Assert.Equal(option, error.Option);
    }

    [Fact]
    public void Validate_AcceptsDefaultsAndTheTightestLimits()
    {
        Valid.Validate();
        new RaftConfig { Id = "a", Peers = ["a"] }.Validate();
        (Valid with { ElectionTicks = 2, HeartbeatTicks = 1, MaxInflightMessages = 1, MaxMessageBytes = 1, MaxEntryBytes = 1, MaxUncommittedBytes = 1 }).Validate();
    }

    [Fact]
    public void Constructor_RefusesNullConfig() =>
        Assert.Throws<ArgumentNullException>(() => new RaftNode(null!));
}
