using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Membership;

/// <summary>Thesis §4.1: single-server changes are safe only one at a time. While a change is appended but not
/// committed, the leader refuses every other (ConfigChangePending) and appends nothing; once it commits, the next
/// one is accepted.</summary>
public sealed class OneChangeAtATimeTests
{
    public static TheoryData<string, string, string, string> Pairs => new()
    {
        // voters, learners, the pending change, the second change.
        { "1 2 3", "", "add-learner 4", "add-learner 5" },
        { "1 2 3", "", "add-learner 4", "promote 4" },
        { "1 2 3", "", "add-learner 4", "remove 3" },
        { "1 2 3", "4", "promote 4", "remove 2" },
        { "1 2 3", "4", "promote 4", "add-learner 5" },
        { "1 2 3", "4", "remove 4", "add-learner 4" },
        { "1 2 3", "", "remove 3", "remove 2" },
        { "1 2 3", "", "remove 3", "add-learner 3" },
        { "1 2 3", "", "remove 1", "add-learner 4" },
        { "1 2 3 4 5", "", "remove 5", "remove 4" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void ASecondChangeWaitsUntilTheFirstCommits(string voters, string learners, string first, string second)
    {
        var leader = ReadyLeader(Conf(voters, learners));
        var firstIndex = Propose(leader, first);
        var before = State(leader);

        var refused = leader.ProposeConfigChange(Change(second));

        Assert.Equal(RejectReason.ConfigChangePending, refused.Reason);
        Assert.Equal("1", refused.LeaderHint);
        Assert.Contains($"index {firstIndex}", refused.Detail);
        Assert.Equal(before, State(leader));
        Assert.False(leader.HasReady);
    }

    /// <summary>The pending change commits (every remaining member acknowledges it): the second one is accepted.</summary>
    [Theory]
    [MemberData(nameof(Pairs))]
    public void TheNextChangeIsAcceptedOnceThePendingOneCommits(string voters, string learners, string first, string second)
    {
        var leader = ReadyLeader(Conf(voters, learners));
        var firstIndex = Propose(leader, first);
        AckAll(leader);
        Assert.True(leader.CommitIndex >= firstIndex);
        if (leader.Role != RaftRole.Leader) return; // "remove 1": the leader left once its removal committed.

        var accepted = leader.ProposeConfigChange(Change(second));

        Assert.True(accepted.Accepted, $"{accepted.Reason}: {accepted.Detail}");
        Assert.Equal(firstIndex + 1, accepted.Index);
        Assert.Equal(accepted.Index, leader.ConfigurationIndex);
    }

    /// <summary>A normal proposal is not a change: it is accepted while a change is pending.</summary>
    [Fact]
    public void ANormalProposalIsAcceptedWhileAChangeIsPending()
    {
        var leader = ReadyLeader(Conf("1 2 3"));
        Propose(leader, "add-learner 4");

        Assert.True(leader.Propose([1]).Accepted);
    }

    /// <summary>Pending means "above the commit index", not "not yet applied": a change committed but not handed to
    /// the state machine does not block the next one.</summary>
    [Fact]
    public void ACommittedButUnappliedChangeDoesNotBlockTheNext()
    {
        var leader = ReadyLeader(Conf("1 2 3"));
        var index = leader.ProposeConfigChange(Change("add-learner 4")).Index;
        var ready = leader.GetReady();
        leader.Advance(ready);
        leader.Step(Nodes.Ack(leader, "2", index));
        Assert.Equal(index, leader.CommitIndex);
        Assert.True(leader.AppliedIndex < index);

        Assert.True(leader.ProposeConfigChange(Change("add-learner 5")).Accepted);
    }
}
