using Orleans.TestingHost;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Cluster.Tests.Peers;

/// <summary>
/// Four silos, a group of three on the first three: the fourth is a spare. With shared storage (every silo here
/// shares one <see cref="DurableTestStorage"/>, as every silo would share one PostgreSQL) and
/// <see cref="Hosting.RaftGroupOptions.Roaming"/>, a peer whose node dies runs on the spare until its node is back;
/// without it, the peer is down with its node (node-local storage could not follow it).
/// </summary>
public sealed class RoamingTests
{
    private const int Spare = 3;

    [Fact]
    public async Task APeerWhoseNodeIsDownRunsOnTheSpareSiloAndGoesHomeWhenTheNodeIsBack()
    {
        await using var raft = await RaftTestCluster.StartAsync(4, options => options.ConfigureGroup = group => group.Roaming = true);
        var acknowledged = new Dictionary<string, string>();
        await KvAssertions.SetAsync(raft, acknowledged, "before", "1");
        var (peer, home) = await FollowerAwayFromTheFirstSiloAsync(raft);
        var spare = raft.SiloOfNode(RaftTestCluster.NodeName(Spare)).SiloAddress.ToString();

        await raft.KillAsync(home);
        await WaitForPeerOnAsync(raft, peer, spare, "the killed node's peer running on the spare silo");
        Assert.Contains(await ActivationsOnSpareAsync(raft), g => g.GrainId.Key.ToString() == peer);
        await raft.WaitForLeaderAsync(minimumPeersAgreeing: 3);
        await KvAssertions.SetAsync(raft, acknowledged, "while-roaming", "2");

        var revived = await raft.RestartAsync(home);
        await WaitForPeerOnAsync(raft, peer, revived.SiloAddress.ToString(), "the peer back on its node");
        // Not only unused: the spare's activation deactivates, rather than campaigning on its own for ever (a
        // heartbeat still reaching it fails its fence check; one that hears nothing leaves by itself).
        await RaftTestCluster.WaitUntilAsync(async () =>
            (await ActivationsOnSpareAsync(raft)).Any(g => g.GrainId.Key.ToString() == peer) ? null : "gone",
            "no activation of the peer left on the spare silo");
        await raft.WaitForLeaderAsync(minimumPeersAgreeing: 3);
        await KvAssertions.SetAsync(raft, acknowledged, "after", "3");
        await KvAssertions.AssertAllReadableAsync(raft, acknowledged);
    }

    [Fact]
    public async Task WithoutRoamingAPeerStaysDownWithItsNodeEvenWithASpareSilo()
    {
        await using var raft = await RaftTestCluster.StartAsync(4);
        var (peer, home) = await FollowerAwayFromTheFirstSiloAsync(raft);

        await raft.KillAsync(home);
        var acknowledged = new Dictionary<string, string>();
        await KvAssertions.SetAsync(raft, acknowledged, "on-two", "1");

        var status = await raft.Kv.Status();
        var index = int.Parse(peer[(peer.LastIndexOf('/') + 1)..]);
        Assert.Null(status.Peers[index]);
        Assert.NotNull(status.Errors[index]);
    }

    /// <summary>A follower whose silo is not the first one (TestingHost's first silo is not killed here), and its silo.</summary>
    private static async Task<(string Peer, InProcessSiloHandle Silo)> FollowerAwayFromTheFirstSiloAsync(RaftTestCluster raft)
    {
        var leader = await raft.WaitForLeaderAsync();
        var peers = (await raft.Kv.Status()).Peers.Where(p => p is not null).Select(p => p!).ToArray();
        var follower = peers.Where(p => p.Peer != leader.Peer).OrderByDescending(p => p.Peer, StringComparer.Ordinal).First();
        var silo = raft.SiloOf(follower);
        Assert.NotEqual(0, silo.InstanceNumber);
        return (follower.Peer, silo);
    }

    private static Task<DetailedGrainStatistic[]> ActivationsOnSpareAsync(RaftTestCluster raft) =>
        raft.Cluster.Client.GetGrain<IManagementGrain>(0)
            .GetDetailedGrainStatistics(hostsIds: [raft.SiloOfNode(RaftTestCluster.NodeName(Spare)).SiloAddress]);

    private static Task<PeerStatus> WaitForPeerOnAsync(RaftTestCluster raft, string peer, string silo, string what) =>
        RaftTestCluster.WaitUntilAsync(async () =>
            (await raft.Kv.Status()).Peers.FirstOrDefault(p => p?.Peer == peer && p.Silo.Contains(silo, StringComparison.Ordinal) && p.Role == "Follower"), what);
}
