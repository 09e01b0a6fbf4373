using OrleansRaft.Cli.Bench;

namespace OrleansRaft.Client.Tests.Bench;

/// <summary>The table and the JSON of a fixed result, character for character.</summary>
public class BenchReportTests
{
    private static BenchResult Result(FailoverSummary? failover = null) => new(
        "orleansraft",
        new BenchOptions { Mix = new WorkloadMix(50, 40, 10), Keys = 100, ValueSize = 64, Concurrency = 8 },
        Stale: false,
        Workers: 8,
        MeasuredSeconds: 10,
        Interrupted: false,
        [
            new OpSummary("set", 5000, 500, 2, new LatencySummary(1_200, 1_800, 4_000, 9_500, 12_345)),
            new OpSummary("get", 4000, 400, 0, new LatencySummary(800, 950, 2_000, 3_000, 3_100)),
            new OpSummary("cas", 1000, 100, 0, new LatencySummary(1_250, 1_900, 4_100, 5_000, 5_000)),
        ],
        new OpSummary("total", 10000, 1000, 2, new LatencySummary(1_000, 1_800, 4_000, 9_000, 12_345)),
        [new ErrorSummary(OpKind.Set, "Timeout", true, 2)],
        CasSwapped: 400,
        new LeaderSummary([new LeaderView("kv/0", 3, 0), new LeaderView("kv/2", 4, 2)], Polls: 12, PollsWithoutLeader: 1),
        failover);

    [Fact]
    public void Table_has_aligned_rows_with_milliseconds_then_errors_and_leaders()
    {
        var expected = string.Join(Environment.NewLine,
            "bench orleansraft: mix set=50,get=40,cas=10, 100 keys, 64-byte values, 8 clients, linearizable reads",
            "measured 10.00 s after 2 s of warmup; latencies of successful operations",
            "OP     COUNT   OPS/S  P50(ms)  P90(ms)  P99(ms)  P99.9(ms)  MAX(ms)  ERRORS",
            "set     5000   500.0    1.200    1.800    4.000      9.500   12.345       2",
            "get     4000   400.0    0.800    0.950    2.000      3.000    3.100       0",
            "cas     1000   100.0    1.250    1.900    4.100      5.000    5.000       0",
            "total  10000  1000.0    1.000    1.800    4.000      9.000   12.345       2",
            "cas swapped: 400 of 1000",
            "errors:",
            "  set  2  Timeout (outcome unknown)",
            "leaders: 1 change seen in 12 status polls: kv/0 (term 3), kv/2 (term 4); 1 of 12 polls found no leader",
            "");
        Assert.Equal(expected, BenchTable.Format(Result()));
    }

    [Fact]
    public void Failover_line_says_when_writes_resumed_and_what_was_lost()
    {
        var failover = new FailoverSummary(5.004, new LeaderView("kv/0", 3, 0), 4242, 1234.5, 3, 1);
        Assert.Equal(
            "failover: killed pid 4242 hosting leader kv/0 (term 3) at 5.00 s; writes resumed 1235 ms after the kill; in that window 3 writes ended with an unknown outcome, 1 failed",
            BenchTable.Failover(failover));
        Assert.Equal("failover: nothing killed: no leader found to kill",
            BenchTable.Failover(new FailoverSummary(5, null, null, null, 0, 0, "no leader found to kill")));
        Assert.Contains("writes did NOT resume", BenchTable.Failover(failover with { WritesResumedAfterMs = null }));
    }

    [Fact]
    public void Json_carries_the_same_figures()
    {
        var json = BenchJson.Format(Result(new FailoverSummary(5.004, new LeaderView("kv/0", 3, 0), 4242, 1234.5, 3, 1)));
        var expected = """
            {
              "target": "orleansraft",
              "mix": "set=50,get=40,cas=10",
              "keys": 100,
              "valueSize": 64,
              "concurrency": 8,
              "stale": false,
              "warmupSeconds": 2,
              "measuredSeconds": 10,
              "interrupted": false,
              "total": {
                "count": 10000,
                "opsPerSecond": 1000,
                "errors": 2,
                "latencyMs": {
                  "p50": 1,
                  "p90": 1.8,
                  "p99": 4,
                  "p99.9": 9,
                  "max": 12.345
                }
              },
            """;
        Assert.StartsWith(expected.ReplaceLineEndings("\n"), json.ReplaceLineEndings("\n"));

        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(500, root.GetProperty("operations").GetProperty("set").GetProperty("opsPerSecond").GetDouble());
        Assert.Equal(0.95, root.GetProperty("operations").GetProperty("get").GetProperty("latencyMs").GetProperty("p90").GetDouble());
        var error = root.GetProperty("errors")[0];
        Assert.Equal(("set", "Timeout", true, 2), (error.GetProperty("operation").GetString(), error.GetProperty("kind").GetString(),
            error.GetProperty("outcomeUnknown").GetBoolean(), error.GetProperty("count").GetInt32()));
        Assert.Equal(1, root.GetProperty("leaders").GetProperty("changes").GetInt32());
        Assert.Equal("kv/2", root.GetProperty("leaders").GetProperty("seen")[1].GetProperty("leader").GetString());
        var f = root.GetProperty("failover");
        Assert.Equal(1234.5, f.GetProperty("writesResumedAfterMs").GetDouble());
        Assert.Equal(4242, f.GetProperty("killedPid").GetInt32());
        Assert.Equal(3, f.GetProperty("outcomeUnknownWrites").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, f.GetProperty("problem").ValueKind);
    }

    [Fact]
    public void Json_failover_is_null_without_a_kill()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(BenchJson.Format(Result()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, doc.RootElement.GetProperty("failover").ValueKind);
    }

    [Fact]
    public void Progress_line_shows_phase_rates_errors_and_leader()
    {
        Assert.Equal("[bench] warmup    2s left          0 ops/s now          0 ops/s avg  0 errors  leader ?",
            ProgressReporter.Format(-1.6, 0, 0, 0, null));
        Assert.Equal("[bench]    4.0s       1234 ops/s now       1000 ops/s avg  5 errors  leader kv/1 term 7",
            ProgressReporter.Format(4, 1234.4, 4000, 5, new LeaderView("kv/1", 7, 1)));
    }

    [Theory]
    [InlineData("S127.0.0.1:11111:123456", 0)]
    [InlineData("S127.0.0.1:11113:99", 2)]
    [InlineData("somewhere", null)]
    public void The_silo_index_comes_from_the_silo_port(string silo, int? index)
    {
        Assert.Equal(index, RaftBenchTarget.SiloIndex(silo));
    }
}
