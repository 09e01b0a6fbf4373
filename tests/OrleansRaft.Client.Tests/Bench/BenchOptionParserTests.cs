using OrleansRaft.Cli.Arguments;
using OrleansRaft.Cli.Bench;

namespace OrleansRaft.Client.Tests.Bench;

public class BenchOptionParserTests
{
    private static BenchOptions Bench(params string[] args)
    {
        var invocation = ArgumentParser.Parse(args);
        Assert.Equal(CliCommand.Bench, invocation.Command);
        return invocation.Bench!;
    }

    [Fact]
    public void Defaults_drive_our_cluster_for_ten_seconds()
    {
        var bench = Bench("bench");
        Assert.Equal(BenchTargetKind.OrleansRaft, bench.Target);
        Assert.Equal(new WorkloadMix(50, 50, 0), bench.Mix);
        Assert.Equal((1000, 100, 16), (bench.Keys, bench.ValueSize, bench.Concurrency));
        Assert.Equal(TimeSpan.FromSeconds(10), bench.EffectiveDuration);
        Assert.Equal(TimeSpan.FromSeconds(2), bench.Warmup);
        Assert.Null(bench.JsonPath);
        Assert.Null(bench.KillLeaderAfter);
    }

    [Fact]
    public void Every_option_in_either_form_before_or_after_the_command()
    {
        var invocation = ArgumentParser.Parse([
            "--mix=set=100", "bench", "--keys", "10", "--value-size=0", "--concurrency", "64", "--duration", "15.5",
            "--warmup", "0", "--json", "out.json", "--stale", "--kill-leader-after", "5", "--pids", "11,12,13",
        ]);
        var bench = invocation.Bench!;
        Assert.Equal(new WorkloadMix(100, 0, 0), bench.Mix);
        Assert.Equal((10, 0, 64), (bench.Keys, bench.ValueSize, bench.Concurrency));
        Assert.Equal(TimeSpan.FromSeconds(15.5), bench.EffectiveDuration);
        Assert.Equal(TimeSpan.Zero, bench.Warmup);
        Assert.Equal("out.json", bench.JsonPath);
        Assert.True(invocation.Settings.Stale);
        Assert.Equal(TimeSpan.FromSeconds(5), bench.KillLeaderAfter);
        Assert.Equal([11, 12, 13], bench.ProcessIds);
    }

    [Fact]
    public void Ops_replace_the_duration()
    {
        var bench = Bench("bench", "--ops", "5000");
        Assert.Equal(5000, bench.Ops);
        Assert.Null(bench.EffectiveDuration);
    }

    [Fact]
    public void Etcd_takes_endpoints()
    {
        var bench = Bench("bench", "--target", "etcd", "--endpoints", "http://127.0.0.1:2379, http://127.0.0.1:22379");
        Assert.Equal(BenchTargetKind.Etcd, bench.Target);
        Assert.Equal([new Uri("http://127.0.0.1:2379"), new Uri("http://127.0.0.1:22379")], bench.Endpoints);
    }

    [Fact]
    public void Etcd_gateway_is_the_json_target_and_needs_endpoints_too()
    {
        Assert.Equal(BenchTargetKind.EtcdGateway, Bench("bench", "--target", "etcd-gateway", "--endpoints", "http://127.0.0.1:2379").Target);
        var error = Assert.Throws<UsageException>(() => Bench("bench", "--target", "etcd-gateway"));
        Assert.Contains("needs --endpoints", error.Message);
    }

    [Theory]
    [InlineData(new[] { "get", "k", "--mix", "set=1" }, "option --mix is for the bench command only")]
    [InlineData(new[] { "bench", "extra" }, "'bench' takes no arguments (got 'extra')")]
    [InlineData(new[] { "bench", "--duration", "5", "--ops", "10" }, "give --duration or --ops, not both")]
    [InlineData(new[] { "bench", "--duration", "0" }, "invalid --duration '0'")]
    [InlineData(new[] { "bench", "--concurrency", "0" }, "invalid --concurrency '0': expected a whole number from 1 to 4096")]
    [InlineData(new[] { "bench", "--value-size", "65537" }, "invalid --value-size")]
    [InlineData(new[] { "bench", "--keys", "many" }, "invalid --keys 'many'")]
    [InlineData(new[] { "bench", "--keys", "1", "--keys", "2" }, "option --keys is given twice")]
    [InlineData(new[] { "bench", "--target", "zookeeper" }, "invalid --target 'zookeeper'")]
    [InlineData(new[] { "bench", "--target", "etcd" }, "--target etcd needs --endpoints")]
    [InlineData(new[] { "bench", "--endpoints", "http://127.0.0.1:2379" }, "--endpoints is for --target etcd")]
    [InlineData(new[] { "bench", "--target", "etcd", "--endpoints", "127.0.0.1:2379" }, "invalid endpoint '127.0.0.1:2379'")]
    [InlineData(new[] { "bench", "--kill-leader-after", "3" }, "--kill-leader-after needs --pids")]
    [InlineData(new[] { "bench", "--kill-leader-after", "3", "--pids", "1,x" }, "invalid process id 'x'")]
    [InlineData(new[] { "bench", "--kill-leader-after", "3", "--pids", "1", "--mix", "get=1" }, "the --mix needs set or cas")]
    [InlineData(new[] { "bench", "--kill-leader-after", "10", "--pids", "1" }, "--kill-leader-after 10 s must be less than the --duration 10 s")]
    [InlineData(new[] { "bench", "--pids", "1" }, "--pids is only used with --kill-leader-after")]
    [InlineData(new[] { "bench", "--json" }, "option --json needs a value")]
    public void Bad_bench_options_are_usage_errors(string[] args, string message)
    {
        var e = Assert.Throws<UsageException>(() => ArgumentParser.Parse(args));
        Assert.Contains(message, e.Message);
    }
}
