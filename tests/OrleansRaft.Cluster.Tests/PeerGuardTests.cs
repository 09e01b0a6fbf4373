using OrleansRaft.Core.Messages;
using OrleansRaft.Peers;

namespace OrleansRaft.Cluster.Tests;

/// <summary>Peer RPCs are internal: an external client cannot drive a peer directly.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PeerGuardTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ExternalClientCannotProposeOrQueryThroughAPeer()
    {
        var peer = fixture.Raft.Client.GetGrain<IRaftPeerGrain>(fixture.Raft.Peers[0]);
        var propose = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => peer.Propose([1, 2, 3]));
        Assert.Contains("internal to the cluster", propose.Message);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => peer.Query([1], allowStale: true));
    }

    [Fact]
    public async Task ForgedRaftMessageFromAClientChangesNothing()
    {
        await fixture.Raft.Kv.Set("guard", "before");
        var leader = await fixture.Raft.WaitForLeaderAsync();
        var target = fixture.Raft.Client.GetGrain<IRaftPeerGrain>(leader.Peer);
        var forger = leader.Peer == fixture.Raft.Peers[0] ? fixture.Raft.Peers[1] : fixture.Raft.Peers[0];

        // A term far in the future would depose the leader if it were delivered.
        await target.Deliver([new Heartbeat(forger, leader.Peer, leader.Term + 1000, 0, 0)]);
        await fixture.Raft.Kv.Set("guard", "after");

        var status = (await fixture.Raft.Kv.Status()).Peers.Single(p => p!.Peer == leader.Peer)!;
        Assert.True(status.Term < leader.Term + 1000, $"the forged term reached the peer: term {status.Term}");
        Assert.Equal("after", (await fixture.Raft.Kv.Get("guard")).Value);
    }
}
