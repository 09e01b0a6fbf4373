using OrleansRaft.Kv;
using OrleansRaft.Membership;
using OrleansRaft.Peers;

namespace OrleansRaft.Cluster.Tests.Membership;

/// <summary>
/// Membership changes on a real cluster: four silos, a group bootstrapped on the first three, the fourth a node that
/// can join. Each test starts its own cluster (the changes are not undone).
/// </summary>
public sealed class MembershipClusterTests
{
    private static readonly string NewNode = RaftTestCluster.NodeName(3);

    [Fact]
    public async Task ANodeAddedAfterCompactionCatchesUpThroughASnapshotIsPromotedAndCounts()
    {
        await using var raft = await RaftTestCluster.StartAsync(4, options => options.ConfigureGroup = group =>
        {
            group.SnapshotLogBytes = 2 * 1024;
            group.SnapshotCatchUpEntries = 4;
        });
        var acknowledged = new Dictionary<string, string>();
        for (var i = 0; i < 60; i++) await KvAssertions.SetAsync(raft, acknowledged, $"k{i}", new string('v', 64));
        await raft.WaitForLeaderAsync();

        var added = await raft.Kv.AddMember(NewNode);

        Assert.Equal(MembershipOutcome.Ok, added.Outcome);
        var membership = (await MembersAsync(raft)).Membership!;
        var joined = Assert.Single(membership.Members, m => m.Node == NewNode);
        Assert.Equal(MemberRole.Voter, joined.Role);
        Assert.Equal(4, membership.Members.Count(m => m.Role == MemberRole.Voter));
        Assert.True(membership.ConfigIndex > 0);

        // With four voters a write needs three: the new one counts, so the group survives losing an original follower.
        var leader = await raft.WaitForLeaderAsync(minimumPeersAgreeing: 4);
        var follower = membership.Members.First(m => m.Role == MemberRole.Voter && m.Peer != leader.Peer && m.Node != NewNode && m.Node != RaftTestCluster.NodeName(0));
        await raft.KillAsync(raft.SiloOfNode(follower.Node));
        await KvAssertions.SetAsync(raft, acknowledged, "after-kill", "1");
        await KvAssertions.AssertAllReadableAsync(raft, acknowledged);
    }

    [Fact]
    public async Task RemovingTheLeaderHandsOverRetiresItAndTheRestGoOn()
    {
        await using var raft = await RaftTestCluster.StartAsync(3, options => options.ConfigureGroup = group =>
        {
            group.SnapshotLogBytes = 1024;
            group.SnapshotCatchUpEntries = 2;
        });
        var storage = raft.MemoryStorage!;
        for (var i = 0; i < 30; i++) Assert.Equal(KvStatus.Ok, (await raft.Kv.Set($"fill{i}", new string('x', 64))).Status);
        var acknowledged = new Dictionary<string, string>();
        await KvAssertions.SetAsync(raft, acknowledged, "before", "1");
        var leader = await raft.WaitForLeaderAsync();
        var node = (await MembersAsync(raft)).Membership!.Members.Single(m => m.Peer == leader.Peer).Node;

        var removed = await raft.Kv.RemoveMember(node);

        Assert.Equal(MembershipOutcome.Ok, removed.Outcome);
        var after = await RaftTestCluster.WaitUntilAsync(async () =>
        {
            var list = await raft.Kv.ListMembers();
            return list.Outcome == MembershipOutcome.Ok && list.Membership!.Leader != leader.Peer ? list.Membership : null;
        }, "a new leader among the remaining voters");
        Assert.Equal(2, after.Members.Length);
        Assert.DoesNotContain(after.Members, m => m.Peer == leader.Peer);
        await KvAssertions.SetAsync(raft, acknowledged, "after", "2");
        await KvAssertions.AssertAllReadableAsync(raft, acknowledged);
        // The removed peer was retired: its log rows and snapshot chunks are gone (the peer row stays as a tombstone,
        // with the log head and an empty snapshot manifest), and it refuses to start again.
        var grain = raft.Client.GetGrain<IRaftPeerGrain>(leader.Peer).GetGrainId();
        var left = await RaftTestCluster.WaitUntilAsync(() =>
        {
            var rows = storage.RowsOf(grain);
            return Task.FromResult(rows.Any(r => r.StartsWith("raft.log.", StringComparison.Ordinal) && r != "raft.log.head" || r.StartsWith("raft.snap.", StringComparison.Ordinal)) ? null : rows);
        }, "the removed peer's log and snapshot deleted");
        Assert.Contains("raft.peer", left);
        var refused = await RaftTestCluster.WaitUntilAsync(async () =>
        {
            var answer = await raft.Client.GetGrain<Peers.IPeerProbeGrain>("probe").Query(leader.Peer, [1]);
            return answer.Outcome == PeerOutcome.Unavailable && answer.Error?.Contains("removed from its group") == true ? answer : null;
        }, "the removed peer refusing as retired");
        Assert.Contains("storage deleted", refused.Error);
    }

    [Fact]
    public async Task LeadershipMovesToTheNamedVoterOrToTheOneFurthestAlong()
    {
        await using var raft = await RaftTestCluster.StartAsync(3);
        var acknowledged = new Dictionary<string, string>();
        await KvAssertions.SetAsync(raft, acknowledged, "before", "1");
        var leader = await raft.WaitForLeaderAsync();
        var target = (await MembersAsync(raft)).Membership!.Members.First(m => m.Peer != leader.Peer);

        var moved = await raft.Kv.TransferLeadership(target.Node);

        Assert.Equal(MembershipOutcome.Ok, moved.Outcome);
        Assert.Equal(target.Peer, (await raft.WaitForLeaderAsync()).Peer);
        var again = await raft.Kv.TransferLeadership();
        Assert.Equal(MembershipOutcome.Ok, again.Outcome);
        Assert.NotEqual(target.Peer, (await raft.WaitForLeaderAsync()).Peer);
        await KvAssertions.SetAsync(raft, acknowledged, "after", "2");
        await KvAssertions.AssertAllReadableAsync(raft, acknowledged);
    }

    [Fact]
    public async Task BadRequestsGetTheirOwnOutcomeAndChangeNothing()
    {
        await using var raft = await RaftTestCluster.StartAsync(4);
        await raft.WaitForLeaderAsync();
        var before = (await MembersAsync(raft)).Membership!;

        Assert.Equal(MembershipOutcome.InvalidArgument, (await raft.Kv.AddMember("")).Outcome);
        Assert.Equal(MembershipOutcome.InvalidArgument, (await raft.Kv.RemoveMember("no/such")).Outcome);
        Assert.Equal(MembershipOutcome.NotAMember, (await raft.Kv.RemoveMember("nowhere")).Outcome);
        Assert.Equal(MembershipOutcome.NotAMember, (await raft.Kv.PromoteMember("nowhere")).Outcome);
        Assert.Equal(MembershipOutcome.NotAMember, (await raft.Kv.TransferLeadership("nowhere")).Outcome);
        Assert.Equal(MembershipOutcome.AlreadyMember, (await raft.Kv.AddMember(RaftTestCluster.NodeName(1))).Outcome);
        Assert.Equal(MembershipOutcome.AlreadyMember, (await raft.Kv.PromoteMember(RaftTestCluster.NodeName(1))).Outcome);
        Assert.Equal(MembershipOutcome.InvalidArgument, (await raft.Kv.AddMember("no-silo-here")).Outcome);
        Assert.Equal(MembershipOutcome.UnknownGroup, (await raft.Client.GetGrain<IKvGrain>("nogroup").ListMembers()).Outcome);
        Assert.Equal(before.Members.Select(m => (m.Peer, m.Role)), (await MembersAsync(raft)).Membership!.Members.Select(m => (m.Peer, m.Role)));

        // A learner: leadership cannot go to it, and adding it again is refused.
        Assert.Equal(MembershipOutcome.Ok, (await raft.Kv.AddMember(NewNode, asLearner: true)).Outcome);
        Assert.Equal(MembershipOutcome.InvalidTarget, (await raft.Kv.TransferLeadership(NewNode)).Outcome);
        Assert.Equal(MembershipOutcome.AlreadyMember, (await raft.Kv.AddMember(NewNode, asLearner: true)).Outcome);
        var learner = Assert.Single((await MembersAsync(raft)).Membership!.Members, m => m.Node == NewNode);
        Assert.Equal(MemberRole.Learner, learner.Role);
    }

    [Fact]
    public async Task TheLastVoterCannotBeRemoved()
    {
        await using var raft = await RaftTestCluster.StartAsync(1, options => options.Peers = 1);
        await raft.WaitForLeaderAsync(minimumPeersAgreeing: 1);

        var removed = await raft.Kv.RemoveMember(RaftTestCluster.NodeName(0));

        Assert.Equal(MembershipOutcome.LastVoter, removed.Outcome);
        Assert.Equal(KvStatus.Ok, (await raft.Kv.Set("still", "works")).Status);
    }

    private static Task<MembershipResponse> MembersAsync(RaftTestCluster raft) =>
        RaftTestCluster.WaitUntilAsync(async () =>
        {
            var list = await raft.Kv.ListMembers();
            return list.Outcome == MembershipOutcome.Ok ? list : null;
        }, "the member list");
}
