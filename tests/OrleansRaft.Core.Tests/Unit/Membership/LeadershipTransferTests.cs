using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Membership;

/// <summary>Thesis §3.10: the leader sends TimeoutNow only once the target's log matches its own; the target then
/// campaigns at once, without PreVote, and voters grant it despite the CheckQuorum lease; a transfer that has not
/// succeeded within an election timeout aborts, and the leader takes proposals again.</summary>
public sealed class LeadershipTransferTests
{
    public static TheoryData<int, long[], bool> CatchUp => new()
    {
        // entries the target lacks, the acknowledgements it then sends (indexes), whether TimeoutNow has gone out.
        { 0, [], true },
        { 3, [], false },
        { 3, [3], false },
        { 3, [4], false },
        { 3, [5], true },
        { 3, [3, 4, 5], true },
        { 1, [2], false },
        { 1, [3], true },
    };

    [Theory]
    [MemberData(nameof(CatchUp))]
    public void TimeoutNowGoesOutOnlyOnceTheTargetIsCaughtUp(int lacking, long[] acks, bool sent)
    {
        var leader = ReadyLeader(Conf("1 2 3"));
        for (var i = 0; i < lacking; i++) leader.Propose([(byte)i]);
        Nodes.Flush(leader);
        leader.Step(Nodes.Ack(leader, "2", leader.LastIndex));
        Nodes.Flush(leader);
        Assert.Equal(2 + lacking, leader.LastIndex);

        var messages = new List<RaftMessage>();
        Assert.True(leader.TransferLeadership("3").Accepted);
        messages.AddRange(Nodes.Sent(leader));
        foreach (var index in acks)
        {
            leader.Step(Nodes.Ack(leader, "3", index));
            messages.AddRange(Nodes.Sent(leader));
        }

        var timeoutNows = messages.OfType<TimeoutNow>().ToList();
        Assert.Equal(sent ? 1 : 0, timeoutNows.Count);
        Assert.All(timeoutNows, m => Assert.Equal(("3", leader.Term), (m.To, m.Term)));
        Assert.Equal(RaftRole.Leader, leader.Role);
        Assert.Equal("3", leader.LeadTransferee);
    }

    /// <summary>A target whose appends were lost is caught up by ordinary replication before TimeoutNow: the leader
    /// believes it sent everything (Replicate), so the catch-up starts from the next heartbeat's answer, which
    /// shows the target behind; its rejection moves the leader to probe and resend.</summary>
    [Fact]
    public void ALaggingTargetIsCaughtUpFirst()
    {
        var leader = ReadyLeader(Conf("1 2 3"));
        leader.Propose([1]);
        leader.Propose([2]);
        Nodes.Flush(leader); // the appends to 3 are lost
        leader.Step(Nodes.Ack(leader, "2", 4));
        Nodes.Flush(leader);

        Assert.True(leader.TransferLeadership("3").Accepted);
        Assert.DoesNotContain(Nodes.Sent(leader), m => m is TimeoutNow);

        leader.Tick();
        var heartbeat = Nodes.Sent(leader).OfType<Heartbeat>().Single(h => h.To == "3");
        leader.Step(new HeartbeatReply("3", "1", heartbeat.Term, heartbeat.ReadRound));
        var probe = Assert.Single(Nodes.Sent(leader).OfType<AppendEntries>());
        Assert.Equal(("3", 4L), (probe.To, probe.PrevLogIndex));
        leader.Step(new AppendEntriesReply("3", "1", leader.Term, false, 4, 0, 3));
        var resend = Nodes.Sent(leader);
        Assert.DoesNotContain(resend, m => m is TimeoutNow);
        var append = Assert.Single(resend.OfType<AppendEntries>());
        Assert.Equal(("3", 2L, 2), (append.To, append.PrevLogIndex, append.Entries.Count));

        leader.Step(Nodes.Ack(leader, "3", 4));

        Assert.Contains(Nodes.Sent(leader), m => m is TimeoutNow { To: "3" });
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void TheTargetCampaignsAtOnceWithoutPreVote(bool preVote, bool checkQuorum)
    {
        var configuration = Conf("1 2 3");
        var target = FromSnapshot(Config("3", configuration, preVote, checkQuorum), configuration);
        target.Step(new Heartbeat("1", "3", 1, 1, 0));
        Nodes.Flush(target);

        target.Step(new TimeoutNow("1", "3", 1));

        Assert.Equal((RaftRole.Candidate, 2L), (target.Role, target.Term));
        var requests = Nodes.Sent(target).OfType<RequestVote>().ToList();
        Assert.Equal(["1", "2"], requests.Select(r => r.To).Order(StringComparer.Ordinal));
        Assert.All(requests, r => Assert.Equal((false, true, 2L), (r.PreVote, r.LeaderTransfer, r.Term)));
    }

    [Fact]
    public void ATimeoutNowOfAnOlderTermIsIgnored()
    {
        var configuration = Conf("1 2 3");
        var target = new RaftNode(Config("3", configuration), new PersistedState(new HardState(4, null, 1), [],
            new Snapshot(1, 1, [], configuration)));

        target.Step(new TimeoutNow("1", "3", 3));

        Assert.Equal((RaftRole.Follower, 4L), (target.Role, target.Term));
    }

    public static TheoryData<bool, bool> LeaseCases => new()
    {
        // the request is a leader transfer's, whether the voter in its lease grants it.
        { true, true },
        { false, false },
    };

    /// <summary>A voter that heard from the leader within the election timeout ignores an election at a higher term
    /// (CheckQuorum lease), unless the candidate campaigns on the leader's own TimeoutNow.</summary>
    [Theory]
    [MemberData(nameof(LeaseCases))]
    public void OnlyATransfersCampaignBreaksTheLease(bool leaderTransfer, bool granted)
    {
        var configuration = Conf("1 2 3");
        var voter = FromSnapshot(Config("2", configuration, preVote: true, checkQuorum: true), configuration);
        voter.Step(new Heartbeat("1", "2", 1, 1, 0));
        Nodes.Flush(voter);

        voter.Step(new RequestVote("3", "2", 2, 1, 1, PreVote: false, leaderTransfer));

        var replies = Nodes.Sent(voter).OfType<RequestVoteReply>().ToList();
        if (granted)
        {
            Assert.Equal([new RequestVoteReply("2", "3", 2, true, false)], replies);
            Assert.Equal((2L, "3"), (voter.Term, voter.Vote));
        }
        else
        {
            Assert.Empty(replies);
            Assert.Equal((1L, "1"), (voter.Term, voter.Leader));
        }
    }

    /// <summary>The leader itself is in its lease too: it grants the target of its own transfer, and steps down.</summary>
    [Fact]
    public void TheLeaderGrantsItsTargetAndStepsDown()
    {
        var leader = ReadyLeader(Conf("1 2 3"), checkQuorum: true);
        leader.TransferLeadership("3");
        Nodes.Flush(leader);

        leader.Step(new RequestVote("3", "1", leader.Term + 1, leader.LastIndex, leader.LastTerm, PreVote: false, LeaderTransfer: true));

        Assert.Equal(RaftRole.Follower, leader.Role);
        Assert.Null(leader.LeadTransferee);
        Assert.Contains(Nodes.Sent(leader).OfType<RequestVoteReply>(), r => r is { To: "3", Granted: true });
    }

    [Theory]
    [InlineData(Election - 1, true)]
    [InlineData(Election, false)]
    [InlineData(Election + 5, false)]
    public void ATransferAbortsAfterAnElectionTimeout(int ticks, bool stillTransferring)
    {
        var leader = ReadyLeader(Conf("1 2 3"), checkQuorum: true);
        leader.TransferLeadership("3"); // 3 never answers
        Nodes.Flush(leader);

        for (var tick = 0; tick < ticks; tick++) TickAnswered(leader, "2");

        Assert.Equal(RaftRole.Leader, leader.Role);
        Assert.Equal(stillTransferring ? "3" : null, leader.LeadTransferee);
        Assert.Equal(stillTransferring ? RejectReason.TransferInProgress : RejectReason.None, leader.Propose([1]).Reason);
    }

    [Fact]
    public void ATransferToTheLeaderItselfIsDoneAtOnce()
    {
        var leader = ReadyLeader(Conf("1 2 3"));

        var result = leader.TransferLeadership("1");

        Assert.True(result.Accepted);
        Assert.Null(leader.LeadTransferee);
        Assert.True(leader.Propose([1]).Accepted);
    }

    [Fact]
    public void ASecondTransferReplacesTheFirst()
    {
        var leader = ReadyLeader(Conf("1 2 3"), checkQuorum: true);
        leader.TransferLeadership("3");
        for (var tick = 0; tick < Election - 2; tick++) TickAnswered(leader, "2");

        leader.TransferLeadership("2");
        Assert.Contains(Nodes.Sent(leader), m => m is TimeoutNow { To: "2" });
        for (var tick = 0; tick < Election - 2; tick++) TickAnswered(leader, "2");

        Assert.Equal("2", leader.LeadTransferee); // the timeout restarted with the second transfer
    }

    /// <summary>A leader that gives up leadership any other way (a higher term) forgets its transfer.</summary>
    [Fact]
    public void SteppingDownEndsATransfer()
    {
        var leader = ReadyLeader(Conf("1 2 3"));
        leader.TransferLeadership("3");

        leader.Step(new AppendEntriesReply("2", "1", leader.Term + 1, false, 0, 0, 0));

        Assert.Null(leader.LeadTransferee);
    }
}
