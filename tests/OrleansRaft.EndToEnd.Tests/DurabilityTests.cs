using System.Text.RegularExpressions;
using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests;

/// <summary>The README's promise: stop the cluster with Ctrl+C, start it again on the same data, and nothing is lost.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class DurabilityTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_graceful_stop_and_a_start_on_the_same_data_keep_every_acknowledged_write()
    {
        var cluster = await fixture.ClusterAsync();
        var pairs = Enumerable.Range(0, 5).ToDictionary(i => $"durable/{i}", i => $"kept-{i}");
        await KvCli.SetAllAsync(pairs);
        CliAssert.Prints(await CliRunner.RunAsync("cas", "durable/0", "kept-0", "swapped-0"), 0, "SWAPPED");
        CliAssert.Prints(await CliRunner.RunAsync("del", "durable/1"), 0, "OK");
        pairs["durable/0"] = "swapped-0";
        pairs.Remove("durable/1");
        var log = cluster.Log;

        var stop = await fixture.StopAsync();

        Assert.True(stop.ExitCode == 0, $"the launcher exited with {stop.ExitCode} after signal {stop.Signal}{Environment.NewLine}{log.Tail()}");
        Assert.Empty(stop.SurvivingSiloPids);
        Assert.Contains("[cluster] all silos stopped", log.Snapshot());

        var restarted = await fixture.ClusterAsync();

        Assert.NotSame(cluster, restarted);
        Assert.Contains("group 'kv' was bootstrapped before", restarted.StartedLine); // so no node gets --bootstrap
        await KvCli.AssertAllReadableAsync(pairs);
        CliAssert.FailsWith(await CliRunner.RunAsync("get", "durable/1"), 1, "^not found: durable/1$");
        // The restarted group is whole again: one peer per silo, so that it survives losing any one of them.
        var status = await StatusPolling.UntilSettledAsync(ClusterFixture.Silos, restarted);
        Assert.Equal([0, 1, 2], status.Peers.Select(p => p.SiloIndex()).Order());
    }

    [Fact]
    public async Task A_node_whose_directory_was_wiped_is_not_bootstrapped_again_and_the_group_serves_on_two()
    {
        var cluster = await fixture.ClusterAsync();
        await StatusPolling.UntilSettledAsync(ClusterFixture.Silos, cluster);
        Assert.True(File.Exists(Path.Combine(fixture.DataDirectory, "bootstrapped")), "the launcher marks the group bootstrapped once every peer answered");
        CliAssert.Prints(await CliRunner.RunAsync("set", "wiped/before", "kept"), 0, "OK");
        Assert.Equal(0, (await fixture.StopAsync()).ExitCode);
        try
        {
            Directory.Delete(Path.Combine(fixture.DataDirectory, "node2"), recursive: true);

            var restarted = await fixture.ClusterAsync();

            Assert.Contains("; down: kv/2", restarted.ReadyLine);
            await restarted.Log.WaitForAsync(
                new Regex(@"^\[node2\] .*Raft peer kv/2 on node 'node2' refuses to start: it has no storage"), 0, TimeSpan.FromSeconds(60));
            CliAssert.Prints(await CliRunner.RunAsync("get", "wiped/before"), 0, "kept");
            CliAssert.Prints(await CliRunner.RunAsync("set", "wiped/after", "on-two"), 0, "OK");
            var status = await StatusPolling.UntilOneLeaderAsync(restarted);
            Assert.Equal("unreachable", status.Peers[2].Role);
        }
        finally
        {
            fixture.MarkDataLost();
        }
    }
}
