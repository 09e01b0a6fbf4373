using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OrleansRaft.Cli.Bench;

/// <summary>
/// <c>--json FILE</c>: the figures of the table as JSON, for scripts (tests/bench/compare-etcd.sh reads it).
/// Rates are per second, latencies in milliseconds; the failover object is null without <c>--kill-leader-after</c>.
/// </summary>
internal static class BenchJson
{
    public static string Format(BenchResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var o = result.Options;
            json.WriteStartObject();
            json.WriteString("target", result.Target);
            json.WriteString("mix", o.Mix.ToString());
            json.WriteNumber("keys", o.Keys);
            json.WriteNumber("valueSize", o.ValueSize);
            json.WriteNumber("concurrency", result.Workers);
            json.WriteBoolean("stale", result.Stale);
            json.WriteNumber("warmupSeconds", o.Warmup.TotalSeconds);
            json.WriteNumber("measuredSeconds", Math.Round(result.MeasuredSeconds, 3));
            json.WriteBoolean("interrupted", result.Interrupted);
            json.WritePropertyName("total");
            Operation(json, result.Total);
            json.WriteStartObject("operations");
            foreach (var op in result.Operations)
            {
                json.WritePropertyName(op.Name);
                Operation(json, op);
            }
            json.WriteEndObject();
            json.WriteNumber("casSwapped", result.CasSwapped);
            json.WriteStartArray("errors");
            foreach (var e in result.Errors)
            {
                json.WriteStartObject();
                json.WriteString("operation", OpKinds.Name(e.Op));
                json.WriteString("kind", e.Kind);
                json.WriteBoolean("outcomeUnknown", e.OutcomeUnknown);
                json.WriteNumber("count", e.Count);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            Leaders(json, result.Leaders);
            Failover(json, result.Failover);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
    }

    private static void Operation(Utf8JsonWriter json, OpSummary op)
    {
        json.WriteStartObject();
        json.WriteNumber("count", op.Count);
        json.WriteNumber("opsPerSecond", Math.Round(op.OpsPerSecond, 1));
        json.WriteNumber("errors", op.Errors);
        json.WriteStartObject("latencyMs");
        json.WriteNumber("p50", Ms(op.Latency.P50));
        json.WriteNumber("p90", Ms(op.Latency.P90));
        json.WriteNumber("p99", Ms(op.Latency.P99));
        json.WriteNumber("p99.9", Ms(op.Latency.P999));
        json.WriteNumber("max", Ms(op.Latency.Max));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Leaders(Utf8JsonWriter json, LeaderSummary leaders)
    {
        json.WriteStartObject("leaders");
        json.WriteNumber("changes", leaders.Changes);
        json.WriteNumber("polls", leaders.Polls);
        json.WriteNumber("pollsWithoutLeader", leaders.PollsWithoutLeader);
        json.WriteStartArray("seen");
        foreach (var l in leaders.Seen)
        {
            json.WriteStartObject();
            json.WriteString("leader", l.Leader);
            json.WriteNumber("term", l.Term);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Failover(Utf8JsonWriter json, FailoverSummary? f)
    {
        if (f is null)
        {
            json.WriteNull("failover");
            return;
        }
        json.WriteStartObject("failover");
        json.WriteNumber("killedAtSeconds", Math.Round(f.KilledAtSeconds, 3));
        if (f.KilledLeader is null) json.WriteNull("killedLeader");
        else json.WriteString("killedLeader", f.KilledLeader.Leader);
        if (f.KilledPid is { } pid) json.WriteNumber("killedPid", pid);
        else json.WriteNull("killedPid");
        if (f.WritesResumedAfterMs is { } ms) json.WriteNumber("writesResumedAfterMs", Math.Round(ms, 1));
        else json.WriteNull("writesResumedAfterMs");
        json.WriteNumber("outcomeUnknownWrites", f.OutcomeUnknownWrites);
        json.WriteNumber("failedWrites", f.FailedWrites);
        if (f.Problem is null) json.WriteNull("problem");
        else json.WriteString("problem", f.Problem);
        json.WriteEndObject();
    }

    private static double Ms(long microseconds) => microseconds / 1000.0;
}
