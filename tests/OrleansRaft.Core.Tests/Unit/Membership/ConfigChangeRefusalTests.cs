using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Membership;

/// <summary>Every request that cannot be carried out is refused with its typed reason, a detail that names what was
/// wrong, and no effect: nothing appended, nothing to send, the configuration, role, term and transfer as they were.</summary>
public sealed class ConfigChangeRefusalTests
{
    public static TheoryData<string, string, string, RejectReason, string> InvalidChanges => new()
    {
        // voters, learners, change, reason, a fragment the detail must contain.
        { "1", "", "remove 1", RejectReason.InvalidConfigChange, "last voter" },
        { "1", "2", "remove 1", RejectReason.InvalidConfigChange, "last voter" },
        { "1 2 3", "", "remove 9", RejectReason.InvalidConfigChange, "9 is not a member" },
        { "1 2 3", "", "promote 9", RejectReason.InvalidConfigChange, "9 is not a member" },
        { "1 2 3", "", "promote 2", RejectReason.InvalidConfigChange, "2 is already a voter" },
        { "1 2 3", "", "promote 1", RejectReason.InvalidConfigChange, "1 is already a voter" },
        { "1 2 3", "", "add-learner 2", RejectReason.InvalidConfigChange, "2 is already a voter" },
        { "1 2 3", "", "add-learner 1", RejectReason.InvalidConfigChange, "1 is already a voter" },
        { "1 2 3", "4", "add-learner 4", RejectReason.InvalidConfigChange, "4 is already a learner" },
        { "1 2 3", "", "add-learner  ", RejectReason.InvalidConfigChange, "must name a peer" },
    };

    [Theory]
    [MemberData(nameof(InvalidChanges))]
    public void AnInvalidChangeIsRefusedAndChangesNothing(string voters, string learners, string change, RejectReason reason, string detail)
    {
        var leader = ReadyLeader(Conf(voters, learners));
        var parts = change.Split(' ', 2);
        var parsed = new ConfigChange(Change(parts[0] + " x").Type, parts[1].Trim());
        var before = State(leader);

        var refused = leader.ProposeConfigChange(parsed);

        AssertRefused(leader, before, refused, reason, detail);
    }

    /// <summary>The learner must be within max-promotion-lag entries of the leader's last index; the detail says how
    /// far it is.</summary>
    [Theory]
    [InlineData(0, 5, 5, false)]   // learner has nothing: 5 behind, allowed 0
    [InlineData(3, 5, 5, false)]
    [InlineData(4, 4, 4, true)]    // 4 behind, allowed 4
    [InlineData(0, 0, 0, true)]    // caught up exactly
    [InlineData(2, 3, 3, false)]
    [InlineData(3, 3, 3, true)]
    public void PromotingALaggingLearnerIsRefusedWithItsLag(long maxLag, int extraEntries, long lag, bool accepted)
    {
        var leader = ReadyLeader(Conf("1 2 3", "4"), maxPromotionLag: maxLag);
        var learnerMatch = leader.LastIndex;
        for (var i = 0; i < extraEntries; i++) leader.Propose([(byte)i]);
        Nodes.Flush(leader);
        foreach (var voter in (string[])["2", "3"]) leader.Step(Nodes.Ack(leader, voter, leader.LastIndex));
        Nodes.Flush(leader);
        Assert.Equal(lag, leader.LastIndex - learnerMatch);
        var before = State(leader);

        var result = leader.ProposeConfigChange(Change("promote 4"));

        if (accepted)
        {
            Assert.True(result.Accepted, $"{result.Reason}: {result.Detail}");
            return;
        }
        AssertRefused(leader, before, result, RejectReason.LearnerBehind, $"4 is {lag} entries behind");
        Assert.Contains($"within {maxLag}", result.Detail);
    }

    public static TheoryData<string, string, string, string, bool> QuorumCases => new()
    {
        // voters, learners, change, voters that stopped answering, whether it is refused as WouldLoseQuorum.
        { "1 2 3", "", "remove 2", "3", true },         // left with 1 and the silent 3: one of two
        { "1 2 3", "", "remove 3", "3", false },        // removing the silent one is fine
        { "1 2 3", "", "remove 1", "3", true },         // 2 and the silent 3, the leader not counted
        { "1 2 3", "4", "promote 4", "3", false },      // 1, 2, 4 of four voters: a majority of three
        { "1 2 3", "4", "promote 4", "2 3", true },     // 1 and 4 of four; the leader itself lost its quorum anyway
        { "1 2 3 4 5", "", "remove 2", "4 5", true },   // 1, 3 of four
        { "1 2 3 4 5", "", "remove 4", "5", false },    // 1, 2, 3 of four
        { "1 2 3", "4", "add-learner 5", "3", false },  // learners change no majority
    };

    /// <summary>The leader refuses a change after which the voters it heard from within the last election timeout
    /// (CheckQuorum's marks) would not be a majority: the group would stop.</summary>
    [Theory]
    [MemberData(nameof(QuorumCases))]
    public void AChangeThatWouldLoseQuorumIsRefused(string voters, string learners, string change, string silent, bool refused)
    {
        var configuration = Conf(voters, learners);
        var leader = ReadyLeader(configuration, checkQuorum: true);
        var answering = configuration.Members.Where(p => p != "1" && !Ids(silent).Contains(p)).ToArray();
        // Two CheckQuorum rounds without a word from the silent ones (the leader keeps its own quorum throughout,
        // except in the case where it cannot: then it is no longer leader to be asked).
        for (var tick = 0; tick < 2 * Election; tick++) TickAnswered(leader, answering);
        if (leader.Role != RaftRole.Leader)
        {
            Assert.True(refused);
            Assert.Equal(RejectReason.NotLeader, leader.ProposeConfigChange(Change(change)).Reason);
            return;
        }
        var before = State(leader);

        var result = leader.ProposeConfigChange(Change(change));

        if (!refused)
        {
            Assert.True(result.Accepted, $"{result.Reason}: {result.Detail}");
            return;
        }
        AssertRefused(leader, before, result, RejectReason.WouldLoseQuorum, "fewer than the");
        Assert.All(Ids(silent), peer => Assert.Contains(leader.Followers, f => f.Peer == peer && !f.Responsive));
    }

    /// <summary>The quorum check needs CheckQuorum's marks to know who went silent. Without CheckQuorum the marks are
    /// never cleared, so a follower silent for a long time still counts as heard from.</summary>
    [Fact]
    public void AChangeThatWouldLoseQuorumIsRefusedWithoutCheckQuorumToo()
    {
        var leader = ReadyLeader(Conf("1 2 3"), checkQuorum: false);
        for (var tick = 0; tick < 5 * Election; tick++) TickAnswered(leader, "2");

        var result = leader.ProposeConfigChange(Change("remove 2"));

        Assert.Equal(RejectReason.WouldLoseQuorum, result.Reason);
    }

    [Fact]
    public void AChangeWhileOneIsPendingIsRefused()
    {
        var leader = ReadyLeader(Conf("1 2 3"));
        var pending = Propose(leader, "add-learner 4");
        var before = State(leader);

        AssertRefused(leader, before, leader.ProposeConfigChange(Change("remove 3")), RejectReason.ConfigChangePending, $"index {pending}");
    }

    [Fact]
    public void AChangeOnAFollowerIsRefusedWithTheLeaderHint()
    {
        var configuration = Conf("1 2 3");
        var follower = FromSnapshot(Config("2", configuration), configuration);
        follower.Step(new Messages.Heartbeat("1", "2", 1, 1, 0));
        Nodes.Flush(follower);
        var before = State(follower);

        var refused = follower.ProposeConfigChange(Change("add-learner 4"));

        Assert.Equal((RejectReason.NotLeader, "1"), (refused.Reason, refused.LeaderHint));
        Assert.Equal(before, State(follower));
        Assert.False(follower.HasReady);
    }

    public static TheoryData<string, string, string, string> BadTransferTargets => new()
    {
        // voters, learners, target, detail fragment.
        { "1 2 3", "4", "4", "4 is a learner: promote it first" },
        { "1 2 3", "", "9", "9 is not a member" },
    };

    [Theory]
    [MemberData(nameof(BadTransferTargets))]
    public void ATransferToALearnerOrAnUnknownPeerIsRefused(string voters, string learners, string target, string detail)
    {
        var leader = ReadyLeader(Conf(voters, learners));
        var before = State(leader);

        AssertRefused(leader, before, leader.TransferLeadership(target), RejectReason.InvalidTransferTarget, detail);
    }

    [Fact]
    public void ATransferOnAFollowerIsRefused()
    {
        var configuration = Conf("1 2 3");
        var follower = FromSnapshot(Config("2", configuration), configuration);

        Assert.Equal(RejectReason.NotLeader, follower.TransferLeadership("3").Reason);
        Assert.Null(follower.LeadTransferee);
    }

    public static TheoryData<string> DuringTransfer => new() { "propose", "add-learner 4", "remove 3", "promote 5" };

    /// <summary>While leadership is being handed over the leader takes no proposal, normal or membership change.</summary>
    [Theory]
    [MemberData(nameof(DuringTransfer))]
    public void AProposalDuringATransferIsRefused(string proposal)
    {
        var leader = ReadyLeader(Conf("1 2 3", "5"));
        Assert.True(leader.TransferLeadership("2").Accepted);
        Nodes.Flush(leader);
        var before = State(leader);

        var refused = proposal == "propose" ? leader.Propose([1]) : leader.ProposeConfigChange(Change(proposal));

        AssertRefused(leader, before, refused, RejectReason.TransferInProgress, "transferred to 2");
    }

    private static void AssertRefused(RaftNode node, object before, ProposeResult result, RejectReason reason, string detail)
    {
        Assert.False(result.Accepted);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(node.Id, result.LeaderHint);
        Assert.Contains(detail, result.Detail);
        Assert.Equal((0L, 0L), (result.Index, result.Term));
        Assert.Equal(before, State(node));
        Assert.False(node.HasReady);
    }
}
