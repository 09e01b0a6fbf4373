using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// §5.2: "each candidate restarts its randomized election timeout at the start of an election", and a new leader
/// starts its own count: ticks spent as follower, pre-candidate or candidate never shorten the next timeout. A node
/// that keeps the old count campaigns again (or, as leader, checks its quorum) too soon.
/// </summary>
public sealed class ElectionTimerRuleTests
{
    /// <summary>A candidate that became one just before the timeout it had as follower or pre-candidate would have
    /// fired gets a whole new randomized timeout: at least <see cref="Nodes.Election"/> ticks before it campaigns again.</summary>
    [Theory]
    [InlineData("timeout-now")]   // the leader hands over (§3.10 of the thesis): straight from follower to candidate
    [InlineData("pre-vote won")]  // a pre-candidate wins its pre-vote (§9.6)
    public void ANewCandidateRestartsItsElectionTimer(string path)
    {
        var preVote = path == "pre-vote won";
        // Same seed, same draws: the twin tells how many ticks the node's current timeout has.
        var twin = new RaftNode(Nodes.Config("2", preVote: preVote));
        var node = new RaftNode(Nodes.Config("2", preVote: preVote));
        if (preVote)
        {
            Nodes.TimeOut(twin);
            Nodes.TimeOut(node);
            Nodes.Flush(node);
        }
        var timeout = Nodes.TimeOut(twin);
        for (var i = 1; i < timeout; i++) node.Tick();

        if (preVote) node.Step(new RequestVoteReply("1", "2", node.Term + 1, Granted: true, PreVote: true));
        else node.Step(new TimeoutNow("1", "2", node.Term));

        Assert.Equal(RaftRole.Candidate, node.Role);
        Assert.InRange(TicksUntilTermChanges(node), Nodes.Election, 2 * Nodes.Election);
    }

    /// <summary>With CheckQuorum (thesis §6.2), a new leader that hears from no one checks its quorum an election
    /// timeout after it won (everyone counts as active then) and steps down at the second check, however long its
    /// campaign took.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(9)]
    public void ANewLeaderCountsItsElectionTimeoutFromItsElection(int campaignTicks)
    {
        var node = new RaftNode(Nodes.Config(checkQuorum: true));
        Nodes.TimeOut(node);
        var requests = Nodes.Sent(node).OfType<RequestVote>().ToList();
        for (var i = 0; i < campaignTicks; i++) node.Tick();
        foreach (var request in requests) node.Step(new RequestVoteReply(request.To, "1", request.Term, Granted: true, PreVote: false));
        Assert.Equal(RaftRole.Leader, node.Role);

        var ticks = 0;
        while (node.Role == RaftRole.Leader && ticks < 3 * Nodes.Election)
        {
            node.Tick();
            ticks++;
        }

        Assert.Equal(2 * Nodes.Election, ticks);
    }

    /// <summary>A node whose elections get no answer draws a new timeout for each one, as pre-candidate and as
    /// candidate: the same timeout every time would make two such nodes collide every time.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EachElectionDrawsANewTimeout(bool preVote)
    {
        var node = new RaftNode(Nodes.Config(preVote: preVote));
        Nodes.TimeOut(node);

        var timeouts = Enumerable.Range(0, 8).Select(_ =>
        {
            Nodes.Flush(node);
            return Nodes.TimeOut(node);
        }).ToList();

        Assert.All(timeouts, t => Assert.InRange(t, Nodes.Election, 2 * Nodes.Election - 1));
        Assert.True(timeouts.Distinct().Count() > 1, $"the same timeout every election: {string.Join(" ", timeouts)}");
    }

    private static int TicksUntilTermChanges(RaftNode node)
    {
        var term = node.Term;
        for (var ticks = 1; ticks <= 2 * Nodes.Election; ticks++)
        {
            node.Tick();
            if (node.Term != term || node.Role == RaftRole.PreCandidate) return ticks;
        }
        return int.MaxValue;
    }
}
