using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Membership;

/// <summary>An entry commits once a majority of the voters of the configuration in force hold it (effective on
/// append: the leader counts the new configuration from the entry that changes it). Learners never count; a leader
/// that is removing itself does not count its own copy (thesis §4.2.2).</summary>
public sealed class CommitQuorumTests
{
    public static TheoryData<string, string, string, string, bool> Cases => new()
    {
        // voters, learners, change appended first ("" for none), peers that acknowledge, whether it commits.
        { "1 2 3", "", "", "", false },
        { "1 2 3", "", "", "2", true },
        { "1 2 3", "4 5", "", "4 5", false },
        { "1 2 3", "4 5", "", "2", true },
        { "1 2 3 4", "", "", "2", false },
        { "1 2 3 4", "", "", "2 3", true },
        { "1 2 3 4 5", "", "", "2", false },
        { "1 2 3 4 5", "", "", "2 3", true },
        { "1 2 3 4 5", "6", "", "2 6", false },
        // Adding a learner leaves the majority as it was; the learner's acknowledgement is worth nothing.
        { "1 2 3", "", "add-learner 4", "4", false },
        { "1 2 3", "", "add-learner 4", "2", true },
        // Promoting: from its own entry on, four voters, majority three.
        { "1 2 3", "4", "promote 4", "2", false },
        { "1 2 3", "4", "promote 4", "4", false },
        { "1 2 3", "4", "promote 4", "2 4", true },
        // Removing a follower: it no longer counts, the remaining two are a majority of two.
        { "1 2 3", "", "remove 3", "3", false },
        { "1 2 3", "", "remove 3", "2", true },
        { "1 2 3 4", "", "remove 4", "2", true },
        // Removing a learner changes no majority.
        { "1 2 3", "4", "remove 4", "2", true },
        // The leader removing itself: its own copy does not count, the remaining voters must all hold it.
        { "1 2 3", "", "remove 1", "2", false },
        { "1 2 3", "", "remove 1", "2 3", true },
        { "1 2", "", "remove 1", "2", true },
        { "1 2 3 4 5", "", "remove 1", "2 3", false },
        { "1 2 3 4 5", "", "remove 1", "2 3 4", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void CommitNeedsAMajorityOfTheVotersInForce(string voters, string learners, string change, string acks, bool commits)
    {
        var leader = ReadyLeader(Conf(voters, learners));
        var committedBefore = leader.CommitIndex;
        if (change.Length > 0) Propose(leader, change);
        var index = leader.Propose([42]).Index;
        Nodes.Flush(leader); // the leader's own copy is durable

        foreach (var peer in Ids(acks)) leader.Step(Nodes.Ack(leader, peer, index));
        Nodes.Flush(leader);

        Assert.Equal(commits ? index : committedBefore, leader.CommitIndex);
    }

    /// <summary>Committing its own removal ends a leader's reign: it steps down; before that it keeps leading.</summary>
    [Theory]
    [InlineData("1 2 3", "2", RaftRole.Leader)]
    [InlineData("1 2 3", "2 3", RaftRole.Follower)]
    [InlineData("1 2", "2", RaftRole.Follower)]
    public void ARemovedLeaderLeadsUntilItsRemovalCommits(string voters, string acks, RaftRole role)
    {
        var leader = ReadyLeader(Conf(voters));
        var index = Propose(leader, "remove 1");

        foreach (var peer in Ids(acks)) leader.Step(Nodes.Ack(leader, peer, index));
        Nodes.Flush(leader);

        Assert.Equal(role, leader.Role);
    }
}
