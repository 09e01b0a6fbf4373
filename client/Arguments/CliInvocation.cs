using OrleansRaft.Cli.Bench;
using OrleansRaft.Cli.Operations;
using OrleansRaft.Client;

namespace OrleansRaft.Cli.Arguments;

internal enum CliCommand
{
    Help,
    Kv,
    Status,
    Shell,
    Bench,

    /// <summary><c>member ...</c> and <c>leader transfer</c>.</summary>
    Membership,
}

/// <summary>Where and how to reach the cluster: the global options.</summary>
internal sealed record CliSettings(IReadOnlyList<GatewayAddress> Gateways, string Group, TimeSpan Timeout, bool Stale)
{
    public const double DefaultTimeoutSeconds = RaftKvClientOptions.DefaultOperationTimeoutSeconds;

    public static CliSettings Default { get; } =
        new(OrleansRaftDefaults.Gateways, OrleansRaftDefaults.Group, TimeSpan.FromSeconds(DefaultTimeoutSeconds), Stale: false);
}

/// <summary>A parsed command line. <see cref="Operation"/> is set exactly when <see cref="Command"/> is <see cref="CliCommand.Kv"/>,
/// <see cref="Bench"/> exactly when it is <see cref="CliCommand.Bench"/>, <see cref="Membership"/> exactly when it is
/// <see cref="CliCommand.Membership"/>.</summary>
internal sealed record CliInvocation(
    CliCommand Command, CliSettings Settings, KvOperation? Operation = null, BenchOptions? Bench = null, MembershipOperation? Membership = null);
