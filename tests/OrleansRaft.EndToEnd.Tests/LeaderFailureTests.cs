using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests;

/// <summary>
/// The README's "kill a silo and watch the KV keep working", with the worst silo to lose: the one hosting the
/// leader, killed with SIGKILL (no shutdown, no flush) while a script keeps writing through the CLI. Writes
/// are acknowledged again after the failover, and every acknowledged write, before or after the crash, is
/// still readable; a write the CLI could not confirm (exit 3) may or may not have happened.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LeaderFailureTests(ClusterFixture fixture)
{
    [Fact]
    public async Task While_writes_go_on_the_leaders_silo_is_killed_and_no_acknowledged_write_is_lost()
    {
        var cluster = await fixture.ClusterAsync();
        var status = await StatusPolling.UntilSettledAsync(ClusterFixture.Silos, cluster);
        var leader = Assert.Single(status.Leaders);
        cluster.Note($"before the kill: {string.Join("; ", status.Peers)}");
        Assert.True(status.Peers.Count(p => p.SiloIndex() == leader.SiloIndex()) == 1,
            $"two peers share the leader's silo, so killing it loses the majority:{Environment.NewLine}{string.Join(Environment.NewLine, status.Peers)}");

        var writer = new CliWriter("failover", cluster.Note);
        writer.Start();
        try
        {
            await writer.WaitForAcknowledgedAsync(after: 0, count: 2, TimeSpan.FromSeconds(60), () => cluster.Log.Tail(20));
            fixture.MarkDegraded();
            await cluster.KillSiloAsync(leader.SiloIndex());
            var beforeFailover = writer.Acknowledged.Count;
            await writer.WaitForAcknowledgedAsync(after: beforeFailover, count: 3, Deadline.Failover, () => cluster.Log.Tail(20));
        }
        finally
        {
            await writer.StopAsync();
        }

        await KvCli.AssertReadableAsync(writer.Acknowledged, writer.Unconfirmed);
        var after = await StatusPolling.UntilOneLeaderAsync(cluster);
        cluster.Note($"after the failover: {string.Join("; ", after.Peers)}");
        var newLeader = Assert.Single(after.Leaders);
        Assert.True(long.Parse(newLeader.Term) > long.Parse(leader.Term), $"new leader {newLeader} was not elected in a later term than {leader}");
    }
}
