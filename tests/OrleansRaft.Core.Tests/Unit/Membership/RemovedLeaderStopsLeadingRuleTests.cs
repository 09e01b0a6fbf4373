using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Membership;

/// <summary>
/// Thesis §4.2.2: a leader that removed itself leads until the change commits, then steps down. The acknowledgement
/// that commits the change is the last thing it handles as leader: it sends no more appends, even to the follower
/// whose acknowledgement it was and which still lacks entries, and hands over (TimeoutNow) only to a voter that holds
/// its whole log.
/// </summary>
public sealed class RemovedLeaderStopsLeadingRuleTests
{
    [Fact]
    public void TheAckThatCommitsTheLeadersRemovalIsItsLastActAsLeader()
    {
        // One append in flight per follower, so that entry 4 waits for the acknowledgement of 3.
        var leader = ReadyLeader(Conf("1 2 3"), configure: c => c with { MaxInflightMessages = 1 });
        Propose(leader, "remove 1");
        leader.Propose([4]);
        Nodes.Flush(leader);
        leader.Step(Nodes.Ack(leader, "2", 3));
        Nodes.Flush(leader);
        Assert.Equal(RaftRole.Leader, leader.Role);

        leader.Step(Nodes.Ack(leader, "3", 3));

        Assert.Equal((RaftRole.Follower, 3L), (leader.Role, leader.CommitIndex));
        // No append, and no TimeoutNow either: the voter furthest along (2 and 3, at 3) lacks entry 4.
        Assert.Empty(Nodes.Sent(leader));
    }

    /// <summary>Until then, it leads a configuration it is not part of, without counting itself (§4.2.2): with
    /// CheckQuorum, hearing from one of the two voters left is not a majority of them.</summary>
    [Fact]
    public void ALeaderThatRemovedItselfDoesNotCountItselfForCheckQuorum()
    {
        var leader = ReadyLeader(Conf("1 2 3"), checkQuorum: true);
        Propose(leader, "remove 1");

        for (var tick = 0; tick < 2 * Election && leader.Role == RaftRole.Leader; tick++) TickAnswered(leader, "2");

        Assert.Equal((RaftRole.Follower, 2L), (leader.Role, leader.CommitIndex));
    }
}
