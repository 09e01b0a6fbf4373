using OrleansRaft.Kv;

namespace OrleansRaft.Cluster.Tests;

/// <summary>Kills and restarts silos under a live group. Each test owns its cluster: these tests break it.</summary>
public sealed class SiloFailureTests
{
    [Fact]
    public async Task KillingTheLeadersSiloKeepsTheGroupWritable()
    {
        await using var raft = await RaftTestCluster.StartAsync(3);
        var acknowledged = new Dictionary<string, string>();
        for (var i = 0; i < 10; i++) await KvAssertions.SetAsync(raft, acknowledged, $"before-{i}", $"v{i}");

        var leader = await raft.WaitForLeaderAsync();
        var killed = raft.SiloOf(leader);
        await raft.KillAsync(killed);

        for (var i = 0; i < 10; i++) await KvAssertions.SetAsync(raft, acknowledged, $"after-{i}", $"w{i}");
        var newLeader = await raft.WaitForLeaderAsync(minimumPeersAgreeing: 2);
        // The old leader's peer is pinned to its node: it stays down with its silo, and a survivor leads a later term.
        Assert.True(newLeader.Term > leader.Term, $"leader term {newLeader.Term} after the kill, {leader.Term} before");
        Assert.DoesNotContain(killed.SiloAddress.ToString(), newLeader.Silo);
        await KvAssertions.AssertAllReadableAsync(raft, acknowledged);
    }

    [Fact]
    public async Task RestartingEverySiloLosesNoAcknowledgedWrite()
    {
        await using var raft = await RaftTestCluster.StartAsync(3);
        var acknowledged = new Dictionary<string, string>();
        for (var i = 0; i < 20; i++) await KvAssertions.SetAsync(raft, acknowledged, $"k{i}", $"v{i}");

        foreach (var silo in raft.RunningSilos)
            await raft.RestartAsync(silo);

        await raft.WaitForLeaderAsync();
        await KvAssertions.AssertAllReadableAsync(raft, acknowledged);
        await KvAssertions.SetAsync(raft, acknowledged, "after-restart", "ok");
        await KvAssertions.AssertAllReadableAsync(raft, acknowledged);
    }

    [Fact]
    public async Task KillingTheFirstSiloAndRestartingItRejoins()
    {
        await using var raft = await RaftTestCluster.StartAsync(3);
        var acknowledged = new Dictionary<string, string>();
        await KvAssertions.SetAsync(raft, acknowledged, "a", "1");

        var first = raft.Cluster.Silos[0];
        await raft.KillAsync(first);
        await KvAssertions.SetAsync(raft, acknowledged, "b", "2");
        await raft.RestartAsync(first);
        await raft.WaitForLeaderAsync();
        await KvAssertions.SetAsync(raft, acknowledged, "c", "3");
        await KvAssertions.AssertAllReadableAsync(raft, acknowledged);
    }
}
