using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Membership;

/// <summary>
/// A change takes effect on append (see <see cref="OrleansRaft.Core.Membership.ConfigChange"/>): the leader that appends
/// it counts the new majority at once, in the same turn, not at its next acknowledgement or Ready. Removing a voter
/// that lags can thereby commit what the remaining voters hold.
/// </summary>
public sealed class NewMajorityCountsAtOnceRuleTests
{
    [Theory]
    [InlineData("remove 4", 3)]        // voters 1 2 3: the leader and 2 hold entry 3
    [InlineData("add-learner 5", 2)]   // the majority of 1 2 3 4 is unchanged
    public void TheLeaderCountsTheNewMajorityWhenItAppendsTheChange(string change, long commit)
    {
        var leader = ReadyLeader(Conf("1 2 3 4"));
        leader.Propose([3]);
        Nodes.Flush(leader);
        leader.Step(Nodes.Ack(leader, "2", 3));
        Nodes.Flush(leader);
        Assert.Equal(2, leader.CommitIndex);

        Assert.True(leader.ProposeConfigChange(Change(change)).Accepted);

        Assert.Equal(commit, leader.CommitIndex);
    }
}
