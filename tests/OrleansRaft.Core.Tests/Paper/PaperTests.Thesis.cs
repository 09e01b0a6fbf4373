using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Paper;

/// <summary>Extensions from Ongaro's thesis ("Consensus: Bridging Theory and Practice", 2014).</summary>
public sealed partial class PaperTests
{
    /// <summary>Thesis §6.2: with CheckQuorum, "a leader steps down if an election timeout elapses without a
    /// successful round of heartbeats to a majority of its cluster".</summary>
    [Fact]
    public void Thesis6_2_LeaderStepsDownWithoutQuorum()
    {
        var leader = Nodes.ElectLeader(Nodes.New(peers: 5, checkQuorum: true));

        for (var i = 0; i < Nodes.Election; i++)
        {
            leader.Tick();
            leader.Step(new HeartbeatReply("2", "1", leader.Term, 0)); // Only 2 of 5 (with itself) answer.
        }
        Assert.Equal(RaftRole.Leader, leader.Role); // The first check sees the votes of the election.
        for (var i = 0; i < Nodes.Election; i++)
        {
            leader.Tick();
            leader.Step(new HeartbeatReply("2", "1", leader.Term, 0));
        }

        Assert.Equal((RaftRole.Follower, (string?)null, 1L), (leader.Role, leader.Leader, leader.Term));
    }

    /// <summary>Thesis §6.2: a leader that hears from a majority keeps leading.</summary>
    [Fact]
    public void Thesis6_2_LeaderWithQuorumStaysLeader()
    {
        var leader = Nodes.ElectLeader(Nodes.New(peers: 5, checkQuorum: true));

        for (var i = 0; i < 5 * Nodes.Election; i++)
        {
            leader.Tick();
            leader.Step(new HeartbeatReply("2", "1", leader.Term, 0));
            leader.Step(new HeartbeatReply("4", "1", leader.Term, 0));
        }

        Assert.Equal(RaftRole.Leader, leader.Role);
    }

    /// <summary>Thesis §4.2.3: "if a server receives a RequestVote request within the minimum election timeout
    /// of hearing from a current leader, it does not update its term or grant its vote".</summary>
    [Fact]
    public void Thesis4_2_3_FollowerWithLiveLeaderIgnoresVoteRequests()
    {
        var node = Nodes.New(checkQuorum: true);
        node.Step(new Heartbeat("2", "1", 1, 0, 0));
        Nodes.Flush(node);

        node.Step(new RequestVote("3", "1", 2, 5, 1, PreVote: false));
        Assert.Equal((1L, (string?)null), (node.Term, node.Vote));
        Assert.Empty(Nodes.Sent(node));

        for (var i = 0; i < Nodes.Election; i++) node.Tick(); // The lease has run out.
        node.Step(new RequestVote("3", "1", 2, 5, 1, PreVote: false));
        Assert.Equal((2L, "3"), (node.Term, node.Vote));
    }

    /// <summary>Thesis §9.6: a pre-candidate asks for votes at term + 1 without adopting it, and writes nothing.</summary>
    [Fact]
    public void Thesis9_6_PreVoteDoesNotChangeTerm()
    {
        var node = Nodes.Restored(Nodes.Config(preVote: true), term: 3, vote: "2", commit: 0, 1);

        Nodes.TimeOut(node);

        Assert.Equal((RaftRole.PreCandidate, 3L, "2"), (node.Role, node.Term, node.Vote));
        var ready = Assert.Single(Nodes.Flush(node));
        Assert.Null(ready.HardState);
        Assert.All(ready.Messages.Cast<RequestVote>(), r => Assert.Equal((4L, true), (r.Term, r.PreVote)));
    }

    /// <summary>Thesis §9.6: a node grants a pre-vote only to a candidate that could win a real one (log at
    /// least as up-to-date), and granting it binds nothing: no term change, no vote recorded.</summary>
    [Theory]
    [InlineData(2, 1, true)]
    [InlineData(1, 1, false)]
    public void Thesis9_6_PreVoteGrantedOnlyToUpToDateLog(long lastIndex, long lastTerm, bool granted)
    {
        var node = Nodes.Restored(Nodes.Config(preVote: true), term: 1, vote: null, commit: 0, 1, 1);

        node.Step(new RequestVote("2", "1", 2, lastIndex, lastTerm, PreVote: true));

        var reply = Assert.IsType<RequestVoteReply>(Assert.Single(Nodes.Sent(node)));
        Assert.Equal((granted, true), (reply.Granted, reply.PreVote));
        Assert.Equal((1L, (string?)null), (node.Term, node.Vote));
    }

    /// <summary>Thesis §9.6: a majority of granted pre-votes turns the pre-candidate into a real candidate.</summary>
    [Fact]
    public void Thesis9_6_PreCandidateBecomesCandidateOnMajority()
    {
        var node = Nodes.New(preVote: true);
        Nodes.TimeOut(node);
        Nodes.Flush(node);

        node.Step(new RequestVoteReply("2", "1", 1, Granted: true, PreVote: true));

        Assert.Equal((RaftRole.Candidate, 1L, "1"), (node.Role, node.Term, node.Vote));
        Assert.All(Nodes.Sent(node).Cast<RequestVote>(), r => Assert.False(r.PreVote));
    }
}
