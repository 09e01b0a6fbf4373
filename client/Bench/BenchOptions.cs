using OrleansRaft.Kv;

namespace OrleansRaft.Cli.Bench;

/// <summary>Which system the benchmark drives: our cluster through the typed client, etcd through its native gRPC API,
/// or etcd through its v3 JSON gateway (which costs etcd more than half its throughput).</summary>
internal enum BenchTargetKind
{
    OrleansRaft,
    Etcd,
    EtcdGateway,
}

/// <summary>
/// The options of <c>bench</c>. The global options still apply: <c>--gateway</c> and <c>--group</c> say where
/// our cluster is, <c>--timeout</c> bounds each operation (retries included), <c>--stale</c> makes gets stale.
/// </summary>
internal sealed record BenchOptions
{
    public const int DefaultKeys = 1000;
    public const int DefaultValueSize = 100;
    public const int DefaultConcurrency = 16;
    public const double DefaultDurationSeconds = 10;
    public const double DefaultWarmupSeconds = 2;
    public const int MaxConcurrency = 4096;
    public const int MaxKeys = 10_000_000;
    public const int MaxValueSize = KvLimits.DefaultMaxValueBytes;

    public BenchTargetKind Target { get; init; } = BenchTargetKind.OrleansRaft;

    /// <summary>etcd client URLs (for <see cref="BenchTargetKind.Etcd"/> only); logical clients take them in turn.</summary>
    public IReadOnlyList<Uri> Endpoints { get; init; } = [];

    public WorkloadMix Mix { get; init; } = WorkloadMix.Default;

    public int Keys { get; init; } = DefaultKeys;

    public int ValueSize { get; init; } = DefaultValueSize;

    /// <summary>Logical clients, each with its own session, each running one operation at a time.</summary>
    public int Concurrency { get; init; } = DefaultConcurrency;

    /// <summary>How long to measure; null when <see cref="Ops"/> bounds the run instead.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>How many operations to measure (all clients together); null when the run is timed.</summary>
    public long? Ops { get; init; }

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(DefaultWarmupSeconds);

    public string? JsonPath { get; init; }

    /// <summary>When set, the process hosting the leader is killed this long into the measurement.</summary>
    public TimeSpan? KillLeaderAfter { get; init; }

    /// <summary>Process ids of the members, in member order (silo index for ours, endpoint order for etcd).</summary>
    public IReadOnlyList<int> ProcessIds { get; init; } = [];

    /// <summary>The measured duration when neither <c>--duration</c> nor <c>--ops</c> was given.</summary>
    public TimeSpan? EffectiveDuration => Ops is null ? Duration ?? TimeSpan.FromSeconds(DefaultDurationSeconds) : null;
}
