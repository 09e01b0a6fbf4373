using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// §5.3, "the leader retries AppendEntries indefinitely": a heartbeat answer from a follower that lags is the
/// leader's cue to send again, and what it sends depends on what it knows. Entries never sent go out; entries all sent
/// but not acknowledged are asked after with an empty append at the end of what was sent (the tail probe, which is
/// not counted in flight); a follower that holds everything gets nothing. A probe to a follower whose log the leader
/// does not know yet is the one append outstanding to it, however it was sent: nothing more goes out before its answer.
/// </summary>
public sealed class HeartbeatReplyCatchUpRuleTests
{
    public static TheoryData<string, long, int> Cases => new()
    {
        // what follower 2 (replicating, acknowledged through 2) lacks of the leader's log 1..3: the answer to its
        // heartbeat reply as (prev index, entries), or (-1, 0) for nothing
        { "entry 3, never sent", 2, 1 },
        { "entry 3, sent", 3, 0 },
        { "nothing", -1, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AHeartbeatReplyFromALaggingFollowerSendsWhatItLacks(string lacks, long prevIndex, int entries)
    {
        var leader = ReadyLeader(Conf("1 2 3"));
        if (lacks != "nothing") leader.Propose([3]);
        if (lacks == "entry 3, sent") Nodes.Flush(leader);
        if (lacks == "nothing") AckAll(leader);

        leader.Step(new HeartbeatReply("2", "1", leader.Term, 0));

        var appends = Nodes.Sent(leader).OfType<AppendEntries>().Where(a => a.To == "2").ToList();
        if (prevIndex < 0) Assert.Empty(appends);
        else
        {
            var append = Assert.Single(appends);
            Assert.Equal((prevIndex, entries), (append.PrevLogIndex, append.Entries.Count));
        }
    }

    /// <summary>A learner just added is probed at the end of the leader's log. The probe a heartbeat answer sends
    /// again is outstanding like the first: a proposal before its answer sends the learner nothing.</summary>
    [Fact]
    public void AProbeSentOnAHeartbeatReplyIsTheOneOutstandingAppend()
    {
        var leader = ReadyLeader(Conf("1 2 3"));
        Propose(leader, "add-learner 4");

        leader.Step(new HeartbeatReply("4", "1", leader.Term, 0));
        var probe = Assert.Single(Nodes.Sent(leader).OfType<AppendEntries>());
        leader.Propose([4]);

        Assert.Equal(("4", leader.LastIndex - 1, 0), (probe.To, probe.PrevLogIndex, probe.Entries.Count));
        Assert.DoesNotContain(Nodes.Sent(leader).OfType<AppendEntries>(), a => a.To == "4");
    }
}
