using System.Globalization;
using System.Text;

namespace OrleansRaft.Cli.Bench;

/// <summary>
/// The final report on standard output: what ran, one aligned row per operation kind plus a total (successful
/// operations, their rate and latency percentiles in milliseconds, failures), then failures by kind, leaders
/// seen, and the failover measurement when there was one.
/// </summary>
internal static class BenchTable
{
    private static readonly string[] Header = ["OP", "COUNT", "OPS/S", "P50(ms)", "P90(ms)", "P99(ms)", "P99.9(ms)", "MAX(ms)", "ERRORS"];

    public static string Format(BenchResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        var o = result.Options;
        var text = new StringBuilder();
        text.AppendLine(string.Create(inv,
            $"bench {result.Target}: mix {o.Mix}, {o.Keys} keys, {o.ValueSize}-byte values, {result.Workers} clients, {(result.Stale ? "stale" : "linearizable")} reads"));
        text.AppendLine(string.Create(inv,
            $"measured {result.MeasuredSeconds:0.00} s after {o.Warmup.TotalSeconds:0.##} s of warmup{(result.Interrupted ? " (interrupted)" : "")}; latencies of successful operations"));

        var rows = new List<string[]> { Header };
        rows.AddRange(result.Operations.Select(Row));
        rows.Add(Row(result.Total));
        AppendAligned(text, rows);

        if (result.Operations.Any(op => op.Name == "cas"))
            text.AppendLine(string.Create(inv, $"cas swapped: {result.CasSwapped} of {result.Operations.First(op => op.Name == "cas").Count}"));
        if (result.Errors.Count > 0)
        {
            text.AppendLine("errors:");
            foreach (var e in result.Errors)
                text.AppendLine(string.Create(inv, $"  {OpKinds.Name(e.Op)}  {e.Count}  {e.Kind}{(e.OutcomeUnknown ? " (outcome unknown)" : "")}"));
        }
        text.AppendLine(Leaders(result.Leaders));
        if (result.Failover is { } failover) text.AppendLine(Failover(failover));
        return text.ToString();
    }

    internal static string Leaders(LeaderSummary leaders)
    {
        var seen = leaders.Seen.Count == 0 ? "none" : string.Join(", ", leaders.Seen.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Leader} (term {l.Term})")));
        var without = leaders.PollsWithoutLeader > 0 ? $"; {leaders.PollsWithoutLeader} of {leaders.Polls} polls found no leader" : "";
        return $"leaders: {leaders.Changes} change{(leaders.Changes == 1 ? "" : "s")} seen in {leaders.Polls} status polls: {seen}{without}";
    }

    internal static string Failover(FailoverSummary f)
    {
        var inv = CultureInfo.InvariantCulture;
        var who = f.KilledLeader is null ? "" : string.Create(inv, $" hosting leader {f.KilledLeader.Leader} (term {f.KilledLeader.Term})");
        if (f.Problem is not null) return $"failover: nothing killed{who}: {f.Problem}";
        var resumed = f.WritesResumedAfterMs is { } ms ? string.Create(inv, $"writes resumed {ms:0} ms after the kill") : "writes did NOT resume before the end of the run";
        return string.Create(inv,
            $"failover: killed pid {f.KilledPid}{who} at {f.KilledAtSeconds:0.00} s; {resumed}; in that window {f.OutcomeUnknownWrites} writes ended with an unknown outcome, {f.FailedWrites} failed");
    }

    private static string[] Row(OpSummary op) =>
    [
        op.Name, op.Count.ToString(CultureInfo.InvariantCulture), op.OpsPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
        Ms(op.Latency.P50), Ms(op.Latency.P90), Ms(op.Latency.P99), Ms(op.Latency.P999), Ms(op.Latency.Max),
        op.Errors.ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>Microseconds as milliseconds with three decimals.</summary>
    internal static string Ms(long microseconds) => (microseconds / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    private static void AppendAligned(StringBuilder text, List<string[]> rows)
    {
        var widths = new int[Header.Length];
        foreach (var row in rows)
            for (var c = 0; c < row.Length; c++) widths[c] = Math.Max(widths[c], row[c].Length);
        foreach (var row in rows)
        {
            // The name left-aligned, numbers right-aligned, two spaces between columns, no trailing blanks.
            text.Append(row[0].PadRight(widths[0]));
            for (var c = 1; c < row.Length; c++) text.Append("  ").Append(row[c].PadLeft(widths[c]));
            text.AppendLine();
        }
    }
}
