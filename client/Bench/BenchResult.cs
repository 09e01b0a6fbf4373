namespace OrleansRaft.Cli.Bench;

/// <summary>Latency percentiles of successful operations, in microseconds (tables and JSON show milliseconds).</summary>
internal sealed record LatencySummary(long P50, long P90, long P99, long P999, long Max)
{
    public static LatencySummary From(LatencyHistogram histogram) => new(
        histogram.ValueAtPercentile(50), histogram.ValueAtPercentile(90), histogram.ValueAtPercentile(99),
        histogram.ValueAtPercentile(99.9), histogram.Max);
}

/// <summary>One row of the table: an operation kind (or "total"), its successful count, rate, latencies and failures.</summary>
internal sealed record OpSummary(string Name, long Count, double OpsPerSecond, long Errors, LatencySummary Latency);

/// <summary>Failures of one operation kind with one classification.</summary>
internal sealed record ErrorSummary(OpKind Op, string Kind, bool OutcomeUnknown, long Count);

/// <summary>The distinct (leader, term) pairs the once-a-second status polls saw, in order of first sight.</summary>
internal sealed record LeaderSummary(IReadOnlyList<LeaderView> Seen, int Polls, int PollsWithoutLeader)
{
    public int Changes => Math.Max(0, Seen.Count - 1);
}

/// <summary>What <c>--kill-leader-after</c> did and measured. <see cref="Problem"/> says why nothing was killed.</summary>
internal sealed record FailoverSummary(
    double KilledAtSeconds, LeaderView? KilledLeader, int? KilledPid, double? WritesResumedAfterMs, long OutcomeUnknownWrites, long FailedWrites,
    string? Problem = null);

/// <summary>Everything a run measured, ready to print as a table or as JSON.</summary>
internal sealed record BenchResult(
    string Target,
    BenchOptions Options,
    bool Stale,
    int Workers,
    double MeasuredSeconds,
    bool Interrupted,
    IReadOnlyList<OpSummary> Operations,
    OpSummary Total,
    IReadOnlyList<ErrorSummary> Errors,
    long CasSwapped,
    LeaderSummary Leaders,
    FailoverSummary? Failover);
