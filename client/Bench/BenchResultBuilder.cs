namespace OrleansRaft.Cli.Bench;

/// <summary>Merges what every client recorded into one <see cref="BenchResult"/>.</summary>
internal static class BenchResultBuilder
{
    public static BenchResult Build(
        string target, BenchOptions options, bool stale, IReadOnlyList<WorkerRecorder> recorders, TimeSpan measured, bool interrupted,
        LeaderSummary leaders, FailoverSummary? failover)
    {
        var seconds = measured.TotalSeconds;
        var errors = recorders.Where(r => r.Errors is not null).SelectMany(r => r.Errors!)
            .GroupBy(e => e.Key, e => e.Value)
            .Select(g => new ErrorSummary(g.Key.Op, g.Key.Error.Kind, g.Key.Error.OutcomeUnknown, g.Sum()))
            .OrderBy(e => e.Op).ThenByDescending(e => e.Count).ThenBy(e => e.Kind, StringComparer.Ordinal)
            .ToList();

        var all = new LatencyHistogram();
        var operations = new List<OpSummary>();
        foreach (var kind in OpKinds.All)
        {
            var histogram = new LatencyHistogram();
            foreach (var recorder in recorders) histogram.Add(recorder.Latency(kind));
            var failed = errors.Where(e => e.Op == kind).Sum(e => e.Count);
            if (options.Mix.Weight(kind) == 0 && histogram.Count == 0 && failed == 0) continue;
            all.Add(histogram);
            operations.Add(Summarize(OpKinds.Name(kind), histogram, failed, seconds));
        }
        var total = Summarize("total", all, errors.Sum(e => e.Count), seconds);
        return new BenchResult(target, options, stale, recorders.Count, seconds, interrupted, operations, total, errors,
            recorders.Sum(r => r.CasSwapped), leaders, failover);
    }

    private static OpSummary Summarize(string name, LatencyHistogram histogram, long errors, double seconds) =>
        new(name, histogram.Count, seconds > 0 ? histogram.Count / seconds : 0, errors, LatencySummary.From(histogram));
}
