using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Membership;

/// <summary>A peer that holds its own removal, committed or not, never campaigns again (the change is in force on
/// append): not on its election timeout, not on TimeoutNow. Without that a removed peer, no longer sent
/// heartbeats, would time out and disrupt the group (thesis §4.2.3).</summary>
public sealed class RemovedPeerStopsCampaigningTests
{
    public static TheoryData<bool, bool, bool> Settings => new()
    {
        // PreVote, CheckQuorum, whether the removal is known committed.
        { false, false, false },
        { false, false, true },
        { true, true, false },
        { true, true, true },
    };

    /// <summary>Follower 3 receives, from leader 1, the entry that removes it.</summary>
    private static RaftNode RemovedFollower(bool preVote, bool checkQuorum, bool committed)
    {
        var bootstrap = Conf("1 2 3");
        var node = new RaftNode(Config("3", bootstrap, preVote, checkQuorum));
        var removal = ChangeEntry(1, 1, bootstrap, "remove 3");
        node.Step(new AppendEntries("1", "3", 1, 0, 0, [removal], committed ? 1 : 0));
        Nodes.Flush(node);
        Assert.Equal(Conf("1 2"), node.Configuration);
        Assert.False(node.IsVoter);
        return node;
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void ItNeverCampaignsOnItsElectionTimeout(bool preVote, bool checkQuorum, bool committed)
    {
        var node = RemovedFollower(preVote, checkQuorum, committed);

        for (var tick = 0; tick < 20 * Election; tick++) node.Tick();

        Assert.Equal((RaftRole.Follower, 1L), (node.Role, node.Term));
        Assert.Empty(Nodes.Sent(node));
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void ItIgnoresTimeoutNow(bool preVote, bool checkQuorum, bool committed)
    {
        var node = RemovedFollower(preVote, checkQuorum, committed);

        node.Step(new TimeoutNow("1", "3", 1));

        Assert.Equal((RaftRole.Follower, 1L), (node.Role, node.Term));
        Assert.Empty(Nodes.Sent(node));
    }

    /// <summary>Truncating the removal away (a new leader never had it) makes it a voter again, which campaigns.</summary>
    [Fact]
    public void ItCampaignsAgainIfItsRemovalIsTruncated()
    {
        var node = RemovedFollower(preVote: false, checkQuorum: false, committed: false);

        node.Step(new AppendEntries("2", "3", 2, 0, 0, [new Entry(1, 2, EntryType.NoOp, [])], 0));
        Nodes.Flush(node);
        Assert.True(node.IsVoter);

        Nodes.TimeOut(node);
        Assert.Equal(RaftRole.Candidate, node.Role);
    }

    /// <summary>The removed leader, once its removal commits, steps down and never campaigns.</summary>
    [Fact]
    public void ARemovedLeaderNeverCampaignsAfterSteppingDown()
    {
        var leader = ReadyLeader(Conf("1 2 3"));
        var index = Propose(leader, "remove 1");
        leader.Step(Nodes.Ack(leader, "2", index));
        leader.Step(Nodes.Ack(leader, "3", index));
        Nodes.Flush(leader);
        Assert.Equal(RaftRole.Follower, leader.Role);
        var term = leader.Term;

        for (var tick = 0; tick < 20 * Election; tick++) leader.Tick();
        leader.Step(new TimeoutNow("2", "1", term));

        Assert.Equal((RaftRole.Follower, term), (leader.Role, leader.Term));
        Assert.Empty(Nodes.Sent(leader));
    }

    /// <summary>For the rule above to apply to a removed follower, the follower must receive its removal. The leader
    /// drops the follower's progress the moment it appends the change (OnLeaderConfigurationChanged), before the
    /// entry is ever sent, so the removed follower is never sent it, keeps its old configuration, and campaigns
    /// forever (testdata/confchange_remove_follower.txt shows it pre-campaigning; with PreVote and CheckQuorum off
    /// its RequestVote deposes the leader). etcd keeps replicating to a removed peer until the removal applies.</summary>
    [Fact]
    public void ARemovedFollowerIsSentItsRemoval()
    {
        var leader = ReadyLeader(Conf("1 2 3"));

        var index = leader.ProposeConfigChange(Change("remove 3")).Index;

        var sent = Nodes.Sent(leader).OfType<AppendEntries>();
        Assert.Contains(sent, a => a.To == "3" && a.Entries.Any(e => e.Index == index));
    }

    /// <summary>The consequence, end to end (defaults aside): in a group without PreVote and CheckQuorum, the removed
    /// follower times out and its RequestVote at a higher term deposes the leader of the remaining group.</summary>
    [Fact]
    public void ARemovedFollowerDoesNotDisruptTheGroup()
    {
        var bootstrap = Conf("1 2 3");
        var nodes = new[] { "1", "2", "3" }.Select(id => new RaftNode(Config(id, bootstrap, seed: int.Parse(id)))).ToArray();
        var group = new Group(nodes);
        Nodes.TimeOut(nodes[0]);
        group.Stabilize();
        var leader = nodes[0];
        Assert.Equal(RaftRole.Leader, leader.Role);
        leader.ProposeConfigChange(Change("remove 3"));
        group.Stabilize();
        leader.Propose([1]); // an entry of the new configuration, so that 1 knows the removal committed
        group.Stabilize();
        var term = leader.Term;

        for (var tick = 0; tick < 4 * Election; tick++)
        {
            foreach (var node in nodes) node.Tick();
            group.Stabilize();
        }

        Assert.Equal((RaftRole.Leader, term), (leader.Role, leader.Term));
        Assert.Equal(RaftRole.Follower, nodes[2].Role);
    }
}
