using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// Figure 2, "Volatile state on leaders (reinitialized after election)": a leader's view of its followers, and what
/// hangs on it (ReadIndex rounds, thesis §6.4), belongs to one term. A node elected again starts both over: it
/// tracks exactly the members of its configuration, and its first read round is round 1 of the new term, broadcast
/// at once.
/// </summary>
public sealed class NewLeaderStartsFreshRuleTests
{
    /// <summary>Peer 4 is removed while it is unreachable, so its leader keeps tracking it (to tell it so); the same
    /// node, leader again in a later term, no longer does.</summary>
    [Fact]
    public void ALeaderElectedAgainTracksOnlyTheMembersOfItsConfiguration()
    {
        var leader = ReadyLeader(Conf("1 2 3 4"));
        Propose(leader, "remove 4");
        leader.Tick();
        Assert.Contains("4", Nodes.Sent(leader).OfType<Heartbeat>().Select(h => h.To));

        StepDownAndWinAgain(leader);
        leader.Tick();

        Assert.Equal(["2", "3"], Nodes.Sent(leader).OfType<Heartbeat>().Select(h => h.To).Order());
    }

    [Fact]
    public void ALeaderElectedAgainStartsItsReadRoundsOver()
    {
        var leader = ReadyLeader(Conf("1 2 3"));
        leader.ReadIndex(1);
        foreach (var peer in new[] { "2", "3" }) leader.Step(new HeartbeatReply(peer, "1", leader.Term, ReadRound: 1));
        Assert.Equal([1L], Nodes.Flush(leader).SelectMany(r => r.ReadStates).Select(r => r.Context));

        StepDownAndWinAgain(leader);
        AckAll(leader);
        leader.ReadIndex(2);

        var heartbeats = Nodes.Sent(leader).OfType<Heartbeat>().ToList();
        Assert.Equal(2, heartbeats.Count);
        Assert.All(heartbeats, h => Assert.Equal(1, h.ReadRound));
    }

    private static void StepDownAndWinAgain(RaftNode leader)
    {
        leader.Step(new Heartbeat("2", "1", leader.Term + 1, 0, 0));
        Nodes.Flush(leader);
        Nodes.ElectLeader(leader);
    }
}
