using OrleansRaft.Cli.Arguments;
using OrleansRaft.Cli.Bench;
using OrleansRaft.Cli.Connection;
using OrleansRaft.Cli.Errors;

namespace OrleansRaft.Cli.Commands;

/// <summary>
/// <c>bench</c>: runs a workload against our cluster (or etcd, <c>--target etcd</c>), shows a progress line on
/// standard error and prints the table on standard output (and JSON with <c>--json FILE</c>). Ctrl+C ends the
/// measurement early and still reports. Exit 0 when any operation succeeded, 3 when none did.
/// </summary>
internal static class BenchCommand
{
    public static async Task<int> RunAsync(
        BenchOptions options, CliSettings settings, KvConnector connect, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        await using var target = await OpenAsync(options, settings, connect, cancellationToken);
        // Rewrite one line on a terminal; one line per second when standard error goes to a file or a pipe.
        var live = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
        var result = await BenchRunner.RunAsync(target, options, settings.Stale, stderr, live, cancellationToken);

        await stdout.WriteAsync(BenchTable.Format(result));
        if (options.JsonPath is { } path) await File.WriteAllTextAsync(path, BenchJson.Format(result), CancellationToken.None);
        if (result.Interrupted) return ExitCodes.Interrupted;
        return result.Total.Count == 0 && result.Total.Errors > 0 ? ExitCodes.Unavailable : ExitCodes.Success;
    }

    private static async Task<IBenchTarget> OpenAsync(BenchOptions options, CliSettings settings, KvConnector connect, CancellationToken cancellationToken) =>
        options.Target switch
        {
            BenchTargetKind.Etcd => new EtcdGrpcBenchTarget(options.Endpoints),
            BenchTargetKind.EtcdGateway => new EtcdBenchTarget(options.Endpoints, settings.Timeout),
            _ => new RaftBenchTarget(await connect(settings, cancellationToken)),
        };
}
