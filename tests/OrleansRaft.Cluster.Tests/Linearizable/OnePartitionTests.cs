using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Cluster.Tests.Linearizable;

/// <summary>6.5840's "one partition": the minority side completes nothing; a write pending while no majority
/// exists completes once the partition heals.</summary>
public sealed class OnePartitionTests
{
    [Fact]
    public async Task MinoritySideCommitsNothingAndCatchesUpAfterHealing()
    {
        await using var raft = await RaftTestCluster.StartAsync(3, options => options.NetworkSeed = 7);
        await raft.Kv.Set("before", "1");
        var leader = await raft.WaitForLeaderAsync();
        var majority = raft.Peers.Where(p => p != leader.Peer).ToArray();
        raft.Network.Partition([leader.Peer], majority);

        for (var i = 0; i < 5; i++)
            Assert.Equal(KvStatus.Ok, (await raft.Kv.Set($"during-{i}", "x")).Status);
        // The writes may all be done before the isolated leader notices: CheckQuorum deposes it within an election
        // timeout of losing its majority, not at once. Until then it must commit nothing.
        var isolated = await RaftTestCluster.WaitUntilAsync(async () =>
        {
            var peer = await PeerAsync(raft, leader.Peer);
            return peer.Role != "Leader" ? peer : null;
        }, "CheckQuorum to depose the isolated leader");
        var newLeader = await raft.WaitForLeaderAsync(minimumPeersAgreeing: 2);
        Assert.True(isolated.CommitIndex < newLeader.CommitIndex,
            $"the isolated peer committed {isolated.CommitIndex}, the majority {newLeader.CommitIndex}");

        raft.Network.Heal();
        await RaftTestCluster.WaitUntilAsync(async () =>
        {
            var caughtUp = await PeerAsync(raft, leader.Peer);
            var current = await raft.WaitForLeaderAsync();
            return caughtUp.AppliedIndex >= current.CommitIndex - 1 ? caughtUp : null;
        }, "the healed peer to catch up");
    }

    [Fact]
    public async Task WritePendingWithoutAMajorityCompletesAfterHealing()
    {
        await using var raft = await RaftTestCluster.StartAsync(3, options => options.NetworkSeed = 8);
        await raft.Kv.Set("before", "1");
        await raft.WaitForLeaderAsync();
        var peers = raft.Peers;
        raft.Network.Partition([peers[0]], [peers[1]], [peers[2]]);

        var write = raft.Kv.Set("pending", "v", new RequestId("one-partition", 1));
        // CheckQuorum deposes the leader once it cannot hear a majority: from then on nobody can commit.
        await RaftTestCluster.WaitUntilAsync(async () =>
        {
            var status = await raft.Kv.Status();
            return status.Peers.All(p => p is not null && p.Role != "Leader") ? status : null;
        }, "every peer to give up leadership");
        Assert.False(write.IsCompleted, "a write completed while no majority could talk");

        raft.Network.Heal();
        Assert.Equal(KvStatus.Ok, (await write).Status);
        Assert.Equal("v", (await raft.Kv.Get("pending")).Value);
    }

    private static async Task<PeerStatus> PeerAsync(RaftTestCluster raft, string peer) =>
        (await raft.Kv.Status()).Peers.Single(p => p?.Peer == peer)!;
}
