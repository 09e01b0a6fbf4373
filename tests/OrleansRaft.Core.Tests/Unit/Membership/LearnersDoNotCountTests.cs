using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Membership;

/// <summary>Thesis §4.2.1: a learner receives the log but is no part of any majority. Its vote wins no election,
/// its acknowledgement commits nothing (CommitQuorumTests), it keeps no leader in office under CheckQuorum, and it
/// confirms no ReadIndex round. It never campaigns, not even on TimeoutNow.</summary>
public sealed class LearnersDoNotCountTests
{
    public static TheoryData<string, string, string, RaftRole> Elections => new()
    {
        // voters, learners, peers that grant the candidate "1" its vote, the role it ends in.
        { "1 2 3", "4 5", "4 5", RaftRole.Candidate },
        { "1 2 3", "4 5", "2", RaftRole.Leader },
        { "1 2 3 4 5", "6 7 8", "6 7 8", RaftRole.Candidate },
        { "1 2 3 4 5", "6 7 8", "2 6 7 8", RaftRole.Candidate },
        { "1 2 3 4 5", "6", "2 3", RaftRole.Leader },
    };

    [Theory]
    [MemberData(nameof(Elections))]
    public void ALearnersVoteWinsNothing(string voters, string learners, string granting, RaftRole role)
    {
        var configuration = Conf(voters, learners);
        var candidate = FromSnapshot(Config("1", configuration), configuration);
        Nodes.TimeOut(candidate);
        var requests = Nodes.Sent(candidate).OfType<RequestVote>().ToList();
        Assert.Equal(configuration.Voters.Where(v => v != "1"), requests.Select(r => r.To).Order(StringComparer.Ordinal));

        foreach (var peer in Ids(granting))
            candidate.Step(new RequestVoteReply(peer, "1", candidate.Term, Granted: true, PreVote: false));

        Assert.Equal(role, candidate.Role);
    }

    [Fact]
    public void ALearnerNeverCampaigns()
    {
        var configuration = Conf("1 2 3", "4");
        var learner = FromSnapshot(Config("4", configuration), configuration);

        for (var tick = 0; tick < 10 * Election; tick++) learner.Tick();

        Assert.Equal((RaftRole.Follower, 1L), (learner.Role, learner.Term));
        Assert.Empty(Nodes.Sent(learner));
    }

    [Fact]
    public void ALearnerIgnoresTimeoutNow()
    {
        var configuration = Conf("1 2 3", "4");
        var learner = FromSnapshot(Config("4", configuration), configuration);

        learner.Step(new TimeoutNow("1", "4", 1));

        Assert.Equal((RaftRole.Follower, 1L), (learner.Role, learner.Term));
        Assert.Empty(Nodes.Sent(learner));
    }

    public static TheoryData<string, string, string, bool> CheckQuorumCases => new()
    {
        // voters, learners, peers answering heartbeats, whether the leader is still leader after an election timeout.
        { "1 2 3", "4 5", "4 5", false },
        { "1 2 3", "4 5", "2", true },
        { "1 2 3 4 5", "6 7", "2 6 7", false },
        { "1 2 3 4 5", "6 7", "2 3", true },
    };

    [Theory]
    [MemberData(nameof(CheckQuorumCases))]
    public void LearnersDoNotKeepALeaderInOffice(string voters, string learners, string answering, bool stillLeader)
    {
        var leader = ReadyLeader(Conf(voters, learners), checkQuorum: true);

        // Two CheckQuorum rounds: the marks set while the leader was elected count for the first one.
        for (var tick = 0; tick < 2 * Election; tick++) TickAnswered(leader, Ids(answering));

        Assert.Equal(stillLeader, leader.Role == RaftRole.Leader);
    }

    public static TheoryData<string, string, string, bool> ReadIndexCases => new()
    {
        // voters, learners, peers acknowledging the read's heartbeat round, whether the read is released.
        { "1 2 3", "4 5", "4 5", false },
        { "1 2 3", "4 5", "2", true },
        { "1 2 3 4 5", "6 7", "2 6 7", false },
        { "1 2 3 4 5", "6 7", "2 3", true },
    };

    [Theory]
    [MemberData(nameof(ReadIndexCases))]
    public void LearnersDoNotConfirmAReadIndexRound(string voters, string learners, string acknowledging, bool released)
    {
        var leader = ReadyLeader(Conf(voters, learners));
        Assert.True(leader.ReadIndex(7).Accepted);
        var heartbeats = Nodes.Sent(leader).OfType<Heartbeat>().ToList();
        Assert.Equal(Conf(voters, learners).Members.Where(p => p != "1"), heartbeats.Select(h => h.To).Order(StringComparer.Ordinal));

        foreach (var heartbeat in heartbeats.Where(h => Ids(acknowledging).Contains(h.To)))
            leader.Step(new HeartbeatReply(heartbeat.To, "1", heartbeat.Term, heartbeat.ReadRound));

        var reads = Nodes.Flush(leader).SelectMany(r => r.ReadStates).ToList();
        Assert.Equal(released ? [new ReadState(7, leader.CommitIndex)] : [], reads);
    }

    /// <summary>A promoted learner counts from its promotion's entry on: for reads too.</summary>
    [Fact]
    public void APromotedLearnerConfirmsReads()
    {
        var leader = ReadyLeader(Conf("1 2", "3"));
        var promoted = Propose(leader, "promote 3");
        leader.Step(Nodes.Ack(leader, "3", promoted));
        Nodes.Flush(leader);
        Assert.Equal(promoted, leader.CommitIndex); // voters 1, 2, 3: 1 and 3 are a majority
        Assert.Equal(Conf("1 2 3"), leader.Configuration);

        leader.ReadIndex(8);
        var heartbeat = Nodes.Sent(leader).OfType<Heartbeat>().Single(h => h.To == "3");
        leader.Step(new HeartbeatReply("3", "1", heartbeat.Term, heartbeat.ReadRound));

        Assert.Equal([new ReadState(8, promoted)], Nodes.Flush(leader).SelectMany(r => r.ReadStates));
    }

    /// <summary>The learner is replicated to like a follower: it gets the leader's entries and heartbeats.</summary>
    [Fact]
    public void ALearnerIsReplicatedTo()
    {
        var leader = ReadyLeader(Conf("1 2 3", "4"));

        leader.Propose([1]);

        Assert.Contains(Nodes.Sent(leader).OfType<AppendEntries>(), a => a.To == "4" && a.Entries.Count == 1);
        Assert.Contains(leader.Followers, f => f is { Peer: "4", IsLearner: true });
    }

    [Fact]
    public void TheConfigurationSaysWhoIsALearner()
    {
        Configuration configuration = Conf("1 2 3", "4");

        Assert.True(configuration.IsLearner("4"));
        Assert.False(configuration.IsVoter("4"));
        Assert.Throws<ArgumentException>(() => Conf("1 2 3", "3"));
        Assert.Throws<ArgumentException>(() => Conf("1 2 2"));
        Assert.Throws<ArgumentException>(() => Conf("1 2", "4 4"));
    }
}
