using OrleansRaft.Client.Tests.Support;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Client.Tests.Bench;

/// <summary>The whole <c>bench</c> command in process against the in-memory store.</summary>
public class BenchCommandTests : IDisposable
{
    private readonly InMemoryRaftKv _kv = new()
    {
        Status = new PeerStatusList("kv", [new PeerStatus("kv/0", "S127.0.0.1:11111:1", "Leader", 2, "kv/0", 5, 5, 1, 5)], [null]),
    };
    private readonly string _json = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_json);

    [Fact]
    public async Task Runs_the_budget_of_operations_and_prints_the_table_and_the_json()
    {
        var connector = _kv.Connector();
        // One client: the in-memory store is a plain dictionary.
        var result = await CliRun.RunAsync(connector, "", "bench", "--ops", "200", "--warmup", "0", "--concurrency", "1",
            "--mix", "set=1,get=1,cas=1", "--keys", "5", "--value-size", "3", "--json", _json);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, connector.Sessions);
        Assert.StartsWith("bench orleansraft: mix set=1,get=1,cas=1, 5 keys, 3-byte values, 1 clients, linearizable reads", result.Stdout);
        Assert.Contains(result.StdoutLines, l => l.StartsWith("total    200", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.StartsWith("leaders: 0 changes seen in ", StringComparison.Ordinal));
        Assert.All(_kv.Data.Keys, k => Assert.StartsWith("bench/", k));
        Assert.All(_kv.Data.Values, v => Assert.Equal(3, v.Length));

        using var doc = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(_json));
        Assert.Equal(200, doc.RootElement.GetProperty("total").GetProperty("count").GetInt32());
        Assert.Equal("kv/0", doc.RootElement.GetProperty("leaders").GetProperty("seen")[0].GetProperty("leader").GetString());
    }

    [Fact]
    public async Task Failures_are_counted_by_kind_and_a_run_without_success_exits_3()
    {
        _kv.FailWith = new RaftKvUnavailableException("kv", "no leader");
        var result = await CliRun.RunAsync(_kv.Connector(), "", "bench", "--ops", "10", "--warmup", "0", "--concurrency", "1", "--mix", "set=1");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("  set  10  Unavailable", result.StdoutLines.Select(l => "  " + l.TrimStart()));
    }

    [Fact]
    public async Task Each_logical_client_gets_its_own_session()
    {
        var connector = _kv.Connector();
        await CliRun.RunAsync(connector, "", "bench", "--ops", "1", "--warmup", "0", "--concurrency", "3", "--mix", "get=1");
        Assert.Equal(3, connector.Sessions);
    }

    [Fact]
    public async Task Help_documents_bench_and_its_options()
    {
        var result = await CliRun.RunAsync(_kv.Connector(), "", "--help");
        foreach (var option in new[] { "bench [BENCH OPTIONS]", "--mix set=W,get=W,cas=W", "--concurrency N", "--ops N", "--kill-leader-after SECONDS", "--target orleansraft|etcd" })
            Assert.Contains(option, result.Stdout);
    }
}
