using System.Globalization;
using OrleansRaft.Cli.Arguments;

namespace OrleansRaft.Cli.Bench;

/// <summary>
/// The options only <c>bench</c> takes. The main <see cref="ArgumentParser"/> collects them wherever they appear
/// (options may come before or after the command) and hands them here once it knows the command is bench.
/// </summary>
internal static class BenchOptionParser
{
    private const double MaxSeconds = 86_400;

    private static readonly HashSet<string> Names =
    [
        "--target", "--endpoints", "--mix", "--keys", "--value-size", "--concurrency", "--duration", "--ops",
        "--warmup", "--json", "--kill-leader-after", "--pids",
    ];

    public static bool IsBenchOption(string name) => Names.Contains(name);

    public static BenchOptions Build(IReadOnlyList<(string Name, string Value)> options)
    {
        var bench = new BenchOptions();
        var seen = new HashSet<string>();
        foreach (var (name, value) in options)
        {
            if (!seen.Add(name)) throw new UsageException($"option {name} is given twice");
            bench = name switch
            {
                "--target" => bench with { Target = ParseTarget(value) },
                "--endpoints" => bench with { Endpoints = ParseEndpoints(value) },
                "--mix" => bench with { Mix = WorkloadMix.Parse(value) },
                "--keys" => bench with { Keys = ParseInt(name, value, 1, BenchOptions.MaxKeys) },
                "--value-size" => bench with { ValueSize = ParseInt(name, value, 0, BenchOptions.MaxValueSize) },
                "--concurrency" => bench with { Concurrency = ParseInt(name, value, 1, BenchOptions.MaxConcurrency) },
                "--duration" => bench with { Duration = ParseSeconds(name, value, allowZero: false) },
                "--ops" => bench with { Ops = ParseInt(name, value, 1, int.MaxValue) },
                "--warmup" => bench with { Warmup = ParseSeconds(name, value, allowZero: true) },
                "--json" => bench with { JsonPath = value.Length > 0 ? value : throw new UsageException("option --json needs a file name") },
                "--kill-leader-after" => bench with { KillLeaderAfter = ParseSeconds(name, value, allowZero: true) },
                "--pids" => bench with { ProcessIds = ParsePids(value) },
                _ => throw new UsageException($"unknown option '{name}'"),
            };
        }
        return Check(bench);
    }

    private static BenchOptions Check(BenchOptions bench)
    {
        if (bench.Duration is not null && bench.Ops is not null) throw new UsageException("give --duration or --ops, not both");
        if (bench.Target is BenchTargetKind.Etcd or BenchTargetKind.EtcdGateway && bench.Endpoints.Count == 0)
            throw new UsageException("--target etcd needs --endpoints http://127.0.0.1:2379,...");
        if (bench.Target == BenchTargetKind.OrleansRaft && bench.Endpoints.Count > 0)
            throw new UsageException("--endpoints is for --target etcd; our cluster is found through --gateway");
        if (bench.KillLeaderAfter is { } kill)
        {
            if (bench.ProcessIds.Count == 0) throw new UsageException("--kill-leader-after needs --pids, the member processes in member order");
            if (!bench.Mix.HasWrites) throw new UsageException("--kill-leader-after measures when writes resume: the --mix needs set or cas");
            if (bench.EffectiveDuration is { } duration && kill >= duration)
                throw new UsageException($"--kill-leader-after {Seconds(kill)} must be less than the --duration {Seconds(duration)}");
        }
        else if (bench.ProcessIds.Count > 0)
        {
            throw new UsageException("--pids is only used with --kill-leader-after");
        }
        return bench;
    }

    private static BenchTargetKind ParseTarget(string text) => text.ToLowerInvariant() switch
    {
        "orleansraft" or "raft" => BenchTargetKind.OrleansRaft,
        "etcd" => BenchTargetKind.Etcd,
        "etcd-gateway" => BenchTargetKind.EtcdGateway,
        _ => throw new UsageException($"invalid --target '{text}': expected orleansraft, etcd (gRPC) or etcd-gateway (JSON)"),
    };

    internal static IReadOnlyList<Uri> ParseEndpoints(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries).Select(part =>
            Uri.TryCreate(part, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/"
                ? uri
                : throw new UsageException($"invalid endpoint '{part}' in --endpoints: expected comma-separated URLs like http://127.0.0.1:2379")).ToArray();

    private static IReadOnlyList<int> ParsePids(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries).Select(part =>
            int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
                ? pid
                : throw new UsageException($"invalid process id '{part}' in --pids: expected comma-separated positive numbers")).ToArray();

    private static int ParseInt(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new UsageException($"invalid {name} '{text}': expected a whole number from {min} to {max}");

    internal static TimeSpan ParseSeconds(string name, string text, bool allowZero)
    {
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || !(allowZero ? seconds >= 0 : seconds > 0) || seconds > MaxSeconds)
            throw new UsageException($"invalid {name} '{text}': expected seconds, {(allowZero ? "at least 0" : "more than 0")} and at most {MaxSeconds}");
        return TimeSpan.FromSeconds(seconds);
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
