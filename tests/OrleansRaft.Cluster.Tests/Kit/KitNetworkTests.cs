using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Cluster.Tests.Kit;

/// <summary>The kit's network on the shared cluster: an isolated peer hears nothing and is heard by nobody, and comes
/// back once healed (the test heals and waits for that, so the collection's other tests find a whole group).</summary>
[Collection(ClusterCollection.Name)]
public sealed class KitNetworkTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AnIsolatedFollowerFallsBehindAndCatchesUpOnceHealed()
    {
        var raft = fixture.Raft;
        var leader = await raft.WaitForLeaderAsync();
        var follower = raft.Peers.First(p => p != leader.Peer);
        var dropped = raft.Network.Dropped;
        PeerStatus behind, ahead;
        raft.Network.Isolate(follower);
        try
        {
            for (var i = 0; i < 5; i++) Assert.Equal(KvStatus.Ok, (await raft.Kv.Set($"kit-isolated-{i}", "x")).Status);
            behind = await PeerAsync(raft, follower);
            ahead = await raft.WaitForLeaderAsync(minimumPeersAgreeing: 2);
        }
        finally
        {
            raft.Network.Heal();
        }

        Assert.True(behind.CommitIndex + 5 <= ahead.CommitIndex, $"the isolated {follower} committed {behind.CommitIndex}, the leader {ahead.CommitIndex}");
        Assert.True(raft.Network.Dropped > dropped, "nothing was dropped while a peer was isolated");
        await raft.WaitForAsync(() => PeerAsync(raft, follower), p => p.AppliedIndex >= ahead.CommitIndex,
            $"the healed {follower} to apply index {ahead.CommitIndex}");
        await raft.WaitForLeaderAsync();
    }

    private static async Task<PeerStatus> PeerAsync(RaftTestCluster raft, string peer) =>
        (await raft.Kv.Status()).Peers.Single(p => p?.Peer == peer)!;
}
