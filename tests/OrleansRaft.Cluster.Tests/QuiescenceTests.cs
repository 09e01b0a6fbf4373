using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Cluster.Tests;

/// <summary>Quiescence on real grains: an idle group's peers slow their timers, a write wakes them, and the membership
/// change that follows a dead leader's silo wakes the followers, which elect a new leader without any request.</summary>
public sealed class QuiescenceTests
{
    [Fact]
    public async Task AnIdleGroupGoesQuietWakesOnAWriteAndReplacesALeaderThatDiedWhileQuiet()
    {
        await using var raft = await RaftTestCluster.StartAsync(3);
        var acknowledged = new Dictionary<string, string>();
        await KvAssertions.SetAsync(raft, acknowledged, "a", "1");
        await AllQuietAsync(raft);

        await KvAssertions.SetAsync(raft, acknowledged, "b", "2");
        var awake = (await raft.Kv.Status()).Peers.Single(p => p is { Role: "Leader" })!;
        Assert.False(awake.Quiescent, "the leader was still quiet right after a write");
        var leader = await AllQuietAsync(raft);

        // Status calls do not wake a peer: only the membership change can make the survivors campaign.
        var killed = raft.SiloOf(leader);
        await raft.Cluster.KillSiloAsync(killed);
        var successor = await raft.WaitForLeaderAsync(minimumPeersAgreeing: 2);
        Assert.True(successor.Term > leader.Term, $"leader term {successor.Term} after the kill, {leader.Term} before");
        await KvAssertions.AssertAllReadableAsync(raft, acknowledged);
    }

    /// <summary>Waits until every peer reports a quiet timer; returns the leader's status then.</summary>
    private static Task<PeerStatus> AllQuietAsync(RaftTestCluster raft) => RaftTestCluster.WaitUntilAsync(async () =>
    {
        var peers = (await raft.Kv.Status()).Peers;
        return peers.All(p => p is { Quiescent: true }) ? peers.Single(p => p!.Role == "Leader") : null;
    }, "every peer of the idle group to go quiet");
}
