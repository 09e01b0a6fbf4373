using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Membership;

/// <summary>The rule Ongaro added after the 2015 raft-dev report: a new leader changes the membership only once an
/// entry of its own term is committed. Until then it refuses with LeaderNotReady and appends nothing.</summary>
public sealed class NoChangeBeforeTermCommitTests
{
    public static TheoryData<string, string, string> Changes => new()
    {
        { "1 2 3", "", "add-learner 4" },
        { "1 2 3", "4", "promote 4" },
        { "1 2 3", "4", "remove 4" },
        { "1 2 3", "", "remove 3" },
        { "1 2 3", "", "remove 1" },
    };

    /// <summary>A leader just elected: its no-op is appended, not committed.</summary>
    private static RaftNode NewLeader(Configuration configuration) =>
        Nodes.ElectLeader(FromSnapshot(Config("1", configuration), configuration));

    [Theory]
    [MemberData(nameof(Changes))]
    public void ANewLeaderRefusesUntilItsNoOpCommits(string voters, string learners, string change)
    {
        var leader = NewLeader(Conf(voters, learners));
        var before = State(leader);

        var refused = leader.ProposeConfigChange(Change(change));

        Assert.Equal(RejectReason.LeaderNotReady, refused.Reason);
        Assert.Equal("1", refused.LeaderHint);
        Assert.Contains("term 2", refused.Detail);
        Assert.Equal(before, State(leader));
        Assert.False(leader.HasReady);
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public void TheSameChangeIsAcceptedOnceTheNoOpCommits(string voters, string learners, string change)
    {
        var leader = NewLeader(Conf(voters, learners));
        leader.Step(Nodes.Ack(leader, "2", leader.LastIndex));
        Nodes.Flush(leader);

        var accepted = leader.ProposeConfigChange(Change(change));

        Assert.True(accepted.Accepted, $"{accepted.Reason}: {accepted.Detail}");
    }

    /// <summary>The case of the raft-dev report: the new leader holds an uncommitted change of an earlier term. It
    /// is in force (effective on append), and it blocks a new change until the new term commits an entry,
    /// which commits the earlier change with it.</summary>
    [Fact]
    public void AnUncommittedChangeOfAnEarlierTermCommitsBeforeANewOne()
    {
        var bootstrap = Conf("1 2 3 4");
        var config = Config("1", bootstrap);
        var earlier = ChangeEntry(2, 1, bootstrap, "remove 4");
        var node = new RaftNode(config, new PersistedState(new HardState(1, null, 1), [new Entry(1, 1, EntryType.NoOp, []), earlier]));
        var leader = Nodes.ElectLeader(node);
        Assert.Equal(Conf("1 2 3"), leader.Configuration);

        var refused = leader.ProposeConfigChange(Change("add-learner 5"));
        Assert.Equal(RejectReason.LeaderNotReady, refused.Reason);

        leader.Step(Nodes.Ack(leader, "2", leader.LastIndex));
        Nodes.Flush(leader);
        Assert.Equal(leader.LastIndex, leader.CommitIndex);
        Assert.True(leader.ProposeConfigChange(Change("add-learner 5")).Accepted);
    }

    /// <summary>Leaders of later terms are held to the same rule: a leader re-elected at term 3 must commit again.</summary>
    [Fact]
    public void EveryNewTermStartsNotReady()
    {
        var leader = ReadyLeader(Conf("1 2 3"));
        leader.Step(new AppendEntriesReply("2", "1", leader.Term + 1, false, 0, 0, 0)); // deposed by a higher term
        Assert.Equal(RaftRole.Follower, leader.Role);
        Nodes.ElectLeader(leader);

        Assert.Equal(RejectReason.LeaderNotReady, leader.ProposeConfigChange(Change("add-learner 4")).Reason);
    }
}
