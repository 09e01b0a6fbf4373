using System.Net;
using System.Text.Json;
using OrleansRaft.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace OrleansRaft.EndToEnd.Tests;

/// <summary>
/// What every silo of the launcher serves on its metrics port: the live view's JSON (its shape, a 404 with a JSON
/// error for an unknown group), the health checks, and Prometheus metrics that count a known workload exactly.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class WatchingApiTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_silo_shows_the_group_with_its_leader_peers_and_replication_and_an_unknown_group_is_a_json_404()
    {
        var cluster = await fixture.ClusterAsync();
        await StatusPolling.UntilSettledAsync(ClusterFixture.Silos, cluster);
        for (var silo = 0; silo < ClusterFixture.Silos; silo++)
        {
            var (status, body) = await SiloWeb.GetJsonAsync(silo, "/api/groups");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal($"node{silo}", body.GetProperty("node").GetString());
            var group = Assert.Single(body.GetProperty("groups").EnumerateArray());
            Assert.Equal("kv", group.GetProperty("group").GetString());
            Assert.Equal("healthy", group.GetProperty("health").GetString());
            var leader = group.GetProperty("leader").GetString();
            var peers = group.GetProperty("peers").EnumerateArray().ToArray();
            Assert.Equal(ClusterFixture.Silos, peers.Length);
            foreach (var peer in peers)
            {
                Assert.True(peer.GetProperty("reachable").GetBoolean(), peer.ToString());
                foreach (var field in new[] { "role", "node", "silo", "leader" }) Assert.Equal(JsonValueKind.String, peer.GetProperty(field).ValueKind);
                // A follower that learnt the term from the leader's heartbeat has voted for no one in it.
                Assert.Contains(peer.GetProperty("vote").ValueKind, new[] { JsonValueKind.String, JsonValueKind.Null });
                foreach (var field in new[] { "term", "commit", "applied", "firstIndex", "lastIndex" }) Assert.Equal(JsonValueKind.Number, peer.GetProperty(field).ValueKind);
                Assert.Contains(peer.GetProperty("quiet").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
                Assert.Equal(leader, peer.GetProperty("leader").GetString());
            }
            Assert.Single(peers, p => p.GetProperty("role").GetString() == "Leader" && p.GetProperty("peer").GetString() == leader);
            var followers = group.GetProperty("followers").EnumerateArray().ToArray();
            Assert.Equal(ClusterFixture.Silos - 1, followers.Length);
            Assert.All(followers, f => Assert.True(f.GetProperty("next").GetInt64() > f.GetProperty("match").GetInt64() - 1 && f.GetProperty("lag").GetInt64() >= 0, f.ToString()));
            Assert.Equal(JsonValueKind.Array, group.GetProperty("events").ValueKind);
            Assert.Equal(JsonValueKind.Array, group.GetProperty("commitRate").ValueKind);

            var (one, single) = await SiloWeb.GetJsonAsync(silo, "/api/groups/kv");
            Assert.Equal(HttpStatusCode.OK, one);
            Assert.Equal("kv", single.GetProperty("group").GetString());

            var (missing, error) = await SiloWeb.GetJsonAsync(silo, "/api/groups/no-such-group");
            Assert.Equal(HttpStatusCode.NotFound, missing);
            Assert.Equal("unknown-group", error.GetProperty("error").GetString());
            Assert.Contains("no-such-group", error.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task An_idle_group_shows_every_peer_quiet_and_after_a_write_goes_quiet_again_holding_it()
    {
        var cluster = await fixture.ClusterAsync();
        await StatusPolling.UntilSettledAsync(ClusterFixture.Silos, cluster);
        // Polling the API asks every peer for its status, which does not wake a quiet peer.
        var before = await PeersAsync("every peer of the idle group quiet", peers => peers.All(p => p.GetProperty("quiet").GetBoolean()));
        var end = before.Max(p => p.GetProperty("lastIndex").GetInt64());

        // A quiet group must wake for the write (it commits), then quiet down again with every peer holding it.
        var set = await CliRunner.RunAsync(["--timeout", "30", "set", "wake-up", "now"]);
        Assert.True(set.ExitCode == 0, set.ToString());
        await PeersAsync("every peer quiet again, holding the write", peers => peers.All(p =>
            p.GetProperty("quiet").GetBoolean() && p.GetProperty("applied").GetInt64() > end));
    }

    /// <summary>Polls node0's view of group kv until every peer answers and <paramref name="holds"/> holds for them.</summary>
    private static Task<JsonElement[]> PeersAsync(string what, Func<JsonElement[], bool> holds) =>
        Deadline.RetryAsync<JsonElement[]>(what, TimeSpan.FromSeconds(60), async () =>
        {
            var (status, body) = await SiloWeb.GetJsonAsync(0, "/api/groups/kv");
            if (status != HttpStatusCode.OK) return (null, $"{status}: {body}");
            var peers = body.GetProperty("peers").EnumerateArray().ToArray();
            return peers.All(p => p.GetProperty("reachable").GetBoolean()) && holds(peers) ? (peers, "") : (null, body.ToString());
        });

    [Fact]
    public async Task Health_is_live_and_ready_once_the_group_has_a_leader()
    {
        var cluster = await fixture.ClusterAsync();
        await StatusPolling.UntilSettledAsync(ClusterFixture.Silos, cluster);
        for (var silo = 0; silo < ClusterFixture.Silos; silo++)
        {
            var (live, _) = await SiloWeb.GetJsonAsync(silo, "/health/live");
            Assert.Equal(HttpStatusCode.OK, live);
            var (ready, body) = await SiloWeb.GetJsonAsync(silo, "/health/ready");
            Assert.True(ready == HttpStatusCode.OK, $"node{silo} is not ready: {body}");
            Assert.Equal("Healthy", body.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task After_1000_sets_the_scraped_metrics_count_1000_more_committed_proposals()
    {
        var cluster = await fixture.ClusterAsync();
        await StatusPolling.UntilSettledAsync(ClusterFixture.Silos, cluster);
        // A follower still applying an earlier test's entries would count them here.
        await PeersAsync("every peer has applied everything committed", peers => peers.All(p => p.GetProperty("applied").GetInt64() == peers.Max(q => q.GetProperty("commit").GetInt64())));
        const string committed = "orleansraft_proposals_committed_total";
        const string applied = "orleansraft_proposals_applied_total";
        var before = await SiloWeb.SumAsync(ClusterFixture.Silos, committed, "group=\"kv\"");
        var appliedBefore = await SiloWeb.SumAsync(ClusterFixture.Silos, applied, "group=\"kv\"");

        var script = string.Concat(Enumerable.Range(0, 1000).Select(i => $"SET metrics-{i % 100} v{i}\n"));
        // Retried only when the shell could not connect (exit 3 before any answer): then it sent nothing.
        var shell = await Deadline.RetryAsync("client shell connects and runs 1000 sets", TimeSpan.FromSeconds(90), async () =>
        {
            var run = await CliRunner.RunAsync(["--timeout", "30", "shell"], script);
            return run.ExitCode == CliResult.Unavailable && run.Stdout.Length == 0 ? (null, run.ToString()) : (run, "");
        });
        Assert.True(shell.ExitCode == 0, shell.ToString());
        Assert.Equal(1000, shell.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l == "OK"));

        var after = await SiloWeb.SumAsync(ClusterFixture.Silos, committed, "group=\"kv\"");
        // Every peer applies every entry; a follower may still be applying the last ones when scraped.
        var appliedAfter = await SiloWeb.SumAsync(ClusterFixture.Silos, applied, "group=\"kv\"");
        var scrape = await SiloWeb.GetTextAsync(0, "/metrics");
        output.WriteLine($"1000 sets through the shell in {shell.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"{committed}{{group=\"kv\"}} summed over the silos: {before} -> {after} (+{after - before})");
        output.WriteLine($"{applied}{{group=\"kv\"}} summed over the silos: {appliedBefore} -> {appliedAfter} (+{appliedAfter - appliedBefore})");
        output.WriteLine($"node0 exposes {scrape.Split('\n').Count(l => l.StartsWith("orleansraft_", StringComparison.Ordinal))} orleansraft samples and " +
            $"{scrape.Split('\n').Count(l => l.StartsWith("orleans_", StringComparison.Ordinal))} Orleans samples; ours:");
        foreach (var line in scrape.Split('\n').Where(l => l.StartsWith("orleansraft_", StringComparison.Ordinal) && !l.Contains("_bucket{", StringComparison.Ordinal)))
            output.WriteLine("  " + line);
        Assert.Equal(1000, after - before);
        Assert.InRange(appliedAfter - appliedBefore, 1000, 3 * 1000);
        Assert.Contains("orleans_", scrape);
    }
}
