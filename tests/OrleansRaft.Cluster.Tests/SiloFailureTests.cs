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
        for (var i = 0; i < 10; i++) await SetAsync(raft, acknowledged, $"before-{i}", $"v{i}");

        var leader = await raft.WaitForLeaderAsync();
        await raft.Cluster.KillSiloAsync(raft.SiloOf(leader));

        for (var i = 0; i < 10; i++) await SetAsync(raft, acknowledged, $"after-{i}", $"w{i}");
        var newLeader = await raft.WaitForLeaderAsync(minimumPeersAgreeing: 2);
        Assert.NotEqual(leader.Peer, newLeader.Peer);
        await AssertAllReadableAsync(raft, acknowledged);
    }

    [Fact]
    public async Task RestartingEverySiloLosesNoAcknowledgedWrite()
    {
        await using var raft = await RaftTestCluster.StartAsync(3);
        var acknowledged = new Dictionary<string, string>();
        for (var i = 0; i < 20; i++) await SetAsync(raft, acknowledged, $"k{i}", $"v{i}");

        foreach (var silo in raft.Cluster.Silos.ToArray())
            await raft.Cluster.RestartSiloAsync(silo);

        await raft.WaitForLeaderAsync();
        await AssertAllReadableAsync(raft, acknowledged);
        await SetAsync(raft, acknowledged, "after-restart", "ok");
        await AssertAllReadableAsync(raft, acknowledged);
    }

    [Fact]
    public async Task KillingTheFirstSiloAndRestartingItRejoins()
    {
        await using var raft = await RaftTestCluster.StartAsync(3);
        var acknowledged = new Dictionary<string, string>();
        await SetAsync(raft, acknowledged, "a", "1");

        var first = raft.Cluster.Silos[0];
        await raft.Cluster.KillSiloAsync(first);
        await SetAsync(raft, acknowledged, "b", "2");
        await raft.Cluster.StartAdditionalSiloAsync();
        await raft.WaitForLeaderAsync();
        await SetAsync(raft, acknowledged, "c", "3");
        await AssertAllReadableAsync(raft, acknowledged);
    }

    /// <summary>Writes until acknowledged: the facade may answer Timeout while the group fails over, and a retry
    /// with the same request id is applied at most once.</summary>
    private static async Task SetAsync(RaftTestCluster raft, Dictionary<string, string> acknowledged, string key, string value)
    {
        var id = new RequestId("failure-test", acknowledged.Count + 1);
        await RaftTestCluster.WaitUntilAsync(async () =>
        {
            var response = await raft.Kv.Set(key, value, id);
            return response.Status == KvStatus.Ok ? response : null;
        }, $"set {key}");
        acknowledged[key] = value;
    }

    private static async Task AssertAllReadableAsync(RaftTestCluster raft, Dictionary<string, string> acknowledged)
    {
        foreach (var (key, value) in acknowledged)
        {
            var read = await RaftTestCluster.WaitUntilAsync(async () =>
            {
                var r = await raft.Kv.Get(key);
                return r.IsError ? null : r;
            }, $"get {key}");
            Assert.Equal(KvStatus.Ok, read.Status);
            Assert.Equal(value, read.Value);
        }
    }
}
