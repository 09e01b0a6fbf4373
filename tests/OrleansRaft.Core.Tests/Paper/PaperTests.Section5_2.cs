using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Paper;

/// <summary>§5.2 Leader election.</summary>
public sealed partial class PaperTests
{
    /// <summary>§5.2: "When servers start up, they begin as followers."</summary>
    [Fact]
    public void Section5_2_StartAsFollower()
    {
        var node = Nodes.New();

        Assert.Equal((RaftRole.Follower, 0L, (string?)null, (string?)null), (node.Role, node.Term, node.Vote, node.Leader));
        Assert.False(node.HasReady);
    }

    /// <summary>§5.2: "Leaders send periodic heartbeats (AppendEntries RPCs that carry no log entries) to all
    /// followers in order to maintain their authority."</summary>
    [Fact]
    public void Section5_2_LeaderBroadcastsHeartbeat()
    {
        var leader = Nodes.ElectLeader(Nodes.New());

        leader.Tick();

        var heartbeats = Nodes.Sent(leader).OfType<Heartbeat>().ToList();
        Assert.Equal(["2", "3"], heartbeats.Select(h => h.To).Order());
        Assert.All(heartbeats, h => Assert.Equal(leader.Term, h.Term));
    }

    /// <summary>§5.2: "If a follower receives no communication over a period of time called the election
    /// timeout, then it ... begins an election ... increments its current term and transitions to candidate
    /// state. It then votes for itself and issues RequestVote RPCs in parallel to each of the other servers."</summary>
    [Fact]
    public void Section5_2_FollowerStartsElectionOnTimeout()
    {
        var node = Nodes.New();

        Nodes.TimeOut(node);

        Assert.Equal((RaftRole.Candidate, 1L, "1"), (node.Role, node.Term, node.Vote));
        var ready = Assert.Single(Nodes.Flush(node));
        Assert.Equal(new HardState(1, "1", 0), ready.HardState);
        Assert.Equal(
            [new RequestVote("1", "2", 1, 0, 0, false), new RequestVote("1", "3", 1, 0, 0, false)],
            ready.Messages.Cast<RequestVote>().OrderBy(m => m.To));
    }

    /// <summary>§5.2: "... if many followers become candidates at the same time, votes could be split so that
    /// no candidate obtains a majority. When this happens, each candidate will time out and start a new
    /// election by incrementing its term and initiating another round of RequestVote RPCs."</summary>
    [Fact]
    public void Section5_2_CandidateStartsNewElectionOnTimeout()
    {
        var node = Nodes.New();
        Nodes.TimeOut(node);
        Nodes.Flush(node);

        Nodes.TimeOut(node);

        Assert.Equal((RaftRole.Candidate, 2L, "1"), (node.Role, node.Term, node.Vote));
        Assert.Equal(["2", "3"], Nodes.Sent(node).OfType<RequestVote>().Where(m => m.Term == 2).Select(m => m.To).Order());
    }

    public static TheoryData<int, string, RaftRole> Votes => new()
    {
        // Group size, votes as "peer:y|n" pairs, expected role (etcd's TestLeaderElectionInOneRoundRPC).
        { 1, "", RaftRole.Leader },
        { 3, "2:y 3:y", RaftRole.Leader },
        { 3, "2:y", RaftRole.Leader },
        { 5, "2:y 3:y 4:y 5:y", RaftRole.Leader },
        { 5, "2:y 3:y 4:y", RaftRole.Leader },
        { 5, "2:y 3:y", RaftRole.Leader },
        { 3, "2:n 3:n", RaftRole.Follower },
        { 5, "2:n 3:n 4:n 5:n", RaftRole.Follower },
        { 5, "2:y 3:n 4:n 5:n", RaftRole.Follower },
        { 3, "", RaftRole.Candidate },
        { 5, "2:y", RaftRole.Candidate },
        { 5, "2:n 3:n", RaftRole.Candidate },
        { 5, "2:y 3:n 4:n", RaftRole.Candidate },
    };

    /// <summary>§5.2: "A candidate wins an election if it receives votes from a majority of the servers in the
    /// full cluster for the same term." A majority of rejections sends it back to follower; otherwise it waits.</summary>
    [Theory]
    [MemberData(nameof(Votes))]
    public void Section5_2_CandidateWinsElection(int size, string votes, RaftRole expected)
    {
        var node = Nodes.New(peers: size);
        Nodes.TimeOut(node);
        Nodes.Flush(node);

        foreach (var vote in votes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            node.Step(new RequestVoteReply(vote[..1], "1", node.Term, vote[2] == 'y', PreVote: false));

        Assert.Equal(expected, node.Role);
        Assert.Equal(1, node.Term);
    }

    public static TheoryData<string?, string, bool> Ballots => new()
    {
        // Vote already cast in this term, candidate asking, granted?
        { null, "2", true },
        { null, "3", true },
        { "2", "2", true },
        { "3", "3", true },
        { "2", "3", false },
        { "3", "2", false },
    };

    /// <summary>§5.2: "Each server will vote for at most one candidate in a given term, on a first-come-first-served
    /// basis" (a repeated request from the same candidate gets the same answer).</summary>
    [Theory]
    [MemberData(nameof(Ballots))]
    public void Section5_2_FollowerVotesAtMostOncePerTerm(string? vote, string candidate, bool granted)
    {
        var node = Nodes.Restored(Nodes.Config(), term: 1, vote: vote);

        node.Step(new RequestVote(candidate, "1", 1, 0, 0, PreVote: false));

        var reply = Assert.IsType<RequestVoteReply>(Assert.Single(Nodes.Sent(node)));
        Assert.Equal((candidate, 1L, granted), (reply.To, reply.Term, reply.Granted));
        Assert.Equal(vote ?? candidate, node.Vote);
    }

    /// <summary>§5.2: "If the leader's term ... is at least as large as the candidate's current term, then the
    /// candidate recognizes the leader as legitimate and returns to follower state."</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Section5_2_CandidateStepsDownOnAppendFromLeader(long termsAhead)
    {
        var node = Nodes.New();
        Nodes.TimeOut(node);
        Nodes.Flush(node);
        var term = node.Term + termsAhead - 1;

        node.Step(new AppendEntries("2", "1", term, 0, 0, [], 0));

        Assert.Equal((RaftRole.Follower, term, "2"), (node.Role, node.Term, node.Leader));
    }

    /// <summary>§5.2: "Raft uses randomized election timeouts ... chosen randomly from a fixed interval";
    /// here [E, 2E) ticks, for followers and candidates alike, and different from one election to the next.</summary>
    [Fact]
    public void Section5_2_ElectionTimeoutRandomizedInRange()
    {
        var seen = new HashSet<int>();
        for (var seed = 0; seed < 50; seed++)
        {
            var node = new RaftNode(Nodes.Config(seed: seed));
            for (var election = 0; election < 10; election++)
            {
                var ticks = Nodes.TimeOut(node);
                Nodes.Flush(node);
                Assert.InRange(ticks, Nodes.Election, 2 * Nodes.Election - 1);
                seen.Add(ticks);
            }
        }
        Assert.Equal(Nodes.Election, seen.Count);
    }

    /// <summary>§5.2: randomization makes it rare that two followers time out together: "in most cases only a
    /// single server will time out". Five followers with distinct seeds, many rounds: few ties for first.</summary>
    [Fact]
    public void Section5_2_ElectionTimeoutsRarelyCollide()
    {
        const int rounds = 1000;
        var nodes = Enumerable.Range(1, 5).Select(i => new RaftNode(Nodes.Config(id: i.ToString(), peers: 5, seed: i))).ToList();
        var collisions = 0;
        for (var round = 0; round < rounds; round++)
        {
            var timeouts = nodes.Select(Nodes.TimeOut).ToList();
            if (timeouts.Count(t => t == timeouts.Min()) > 1) collisions++;
            foreach (var node in nodes)
            {
                Nodes.Flush(node);
                // Hearing from a leader of the node's own term resets it to a follower with a fresh timeout.
                node.Step(new Heartbeat(node.Id == "1" ? "2" : "1", node.Id, node.Term, 0, 0));
                Nodes.Flush(node);
            }
        }
        // With E = 10 the chance that the earliest of five uniform draws is tied is about 0.2 to 0.3.
        Assert.InRange(collisions, 0, rounds * 3 / 10);
    }
}
