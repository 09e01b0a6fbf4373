using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests;

/// <summary>
/// The README's "kill a silo and watch the KV keep working", with the worst silo to lose: the one hosting the
/// leader, killed with SIGKILL (no shutdown, no flush). Writes go on through the CLI, and every write the
/// cluster acknowledged, before or after the crash, is still readable.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LeaderFailureTests(ClusterFixture fixture)
{
    [Fact]
    public async Task After_the_leaders_silo_is_killed_writes_succeed_again_and_no_acknowledged_write_is_lost()
    {
        var cluster = await fixture.ClusterAsync();
        var before = Pairs("failover/before", 5);
        await KvCli.SetAllAsync(before);
        var status = await StatusPolling.UntilSettledAsync(ClusterFixture.Silos, cluster);
        var leader = Assert.Single(status.Leaders);
        Assert.True(status.Peers.Count(p => p.SiloIndex == leader.SiloIndex) == 1,
            $"two peers share the leader's silo, so killing it loses the majority:{Environment.NewLine}{string.Join(Environment.NewLine, status.Peers)}");

        fixture.MarkDegraded();
        await cluster.KillSiloAsync(leader.SiloIndex);

        var after = Pairs("failover/after", 3);
        foreach (var (key, value) in after) await KvCli.SetUntilAcknowledgedAsync(key, value, Deadline.Failover, cluster);

        await KvCli.AssertAllReadableAsync(before.Concat(after).ToDictionary());
        var newLeader = Assert.Single((await StatusPolling.UntilOneLeaderAsync(cluster)).Leaders);
        Assert.True(long.Parse(newLeader.Term) > long.Parse(leader.Term), $"new leader {newLeader} was elected in a later term than {leader}");
    }

    private static Dictionary<string, string> Pairs(string prefix, int count) =>
        Enumerable.Range(0, count).ToDictionary(i => $"{prefix}/{i}", i => $"value-{i}");
}
