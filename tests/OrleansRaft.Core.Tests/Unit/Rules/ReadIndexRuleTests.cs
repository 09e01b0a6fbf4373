using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// Thesis §6.4, ReadIndex. (1) The read index is the leader's commit index when the read arrives, once the leader has
/// committed an entry of its own term; before that, it is the commit index reached by that first commit, never an
/// earlier one (entries of earlier terms may be committed beyond what this leader knows). (2) The read waits for a
/// round of heartbeats acknowledged by a majority after it arrived; an acknowledgement, once counted, stays counted.
/// </summary>
public sealed class ReadIndexRuleTests
{
    public static TheoryData<string, long> Indexes => new()
    {
        // what happens between the read and its confirmation, the read index
        { "nothing", 2 },
        { "entry 3 commits", 2 },                   // the index is the commit index when the read arrived
        { "new leader, old entries 2 and 3", 4 },   // nothing of its term committed: the index waits for its no-op (4)
    };

    [Theory]
    [MemberData(nameof(Indexes))]
    public void TheReadIndexIsTheCommitIndexWhenTheReadArrivedInTheLeadersTerm(string meanwhile, long index)
    {
        RaftNode leader;
        if (meanwhile.StartsWith("new leader", StringComparison.Ordinal))
        {
            leader = Nodes.ElectLeader(Nodes.Restored(Nodes.Config(), term: 1, vote: null, commit: 1, 1, 1, 1));
            leader.Step(Nodes.Ack(leader, "2", 3));
            Nodes.Flush(leader);
        }
        else leader = ReadyLeader(Conf("1 2 3"));
        if (meanwhile == "entry 3 commits")
        {
            leader.Propose([3]);
            Nodes.Flush(leader);
        }

        leader.ReadIndex(7);
        var heartbeats = Nodes.Sent(leader).OfType<Heartbeat>().ToList();
        if (meanwhile != "nothing") leader.Step(Nodes.Ack(leader, "2", leader.LastIndex));
        foreach (var heartbeat in heartbeats) leader.Step(new HeartbeatReply(heartbeat.To, "1", leader.Term, heartbeat.ReadRound));

        Assert.Equal(new ReadState(7, index), Assert.Single(Nodes.Flush(leader).SelectMany(r => r.ReadStates)));
    }

    /// <summary>Follower 2 acknowledges round 2, then a late answer for round 1 arrives: the next read finds round 2
    /// confirmed (the leader and 2 are a majority) and broadcasts its own round at once.</summary>
    [Fact]
    public void ALateAcknowledgementOfAnOlderRoundIsNotCountedAgainstANewerOne()
    {
        var leader = ReadyLeader(Conf("1 2 3"));
        foreach (var (context, round) in new[] { (1L, 1L), (2L, 2L) })
        {
            leader.ReadIndex(context);
            Nodes.Flush(leader);
            leader.Step(new HeartbeatReply("2", "1", leader.Term, round));
            Nodes.Flush(leader);
        }
        leader.Step(new HeartbeatReply("2", "1", leader.Term, 1));

        leader.ReadIndex(3);

        Assert.Equal([3L, 3L], Nodes.Sent(leader).OfType<Heartbeat>().Select(h => h.ReadRound));
    }
}
