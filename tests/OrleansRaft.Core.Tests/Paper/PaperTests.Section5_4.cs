using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Paper;

/// <summary>§5.4 Safety.</summary>
public sealed partial class PaperTests
{
    /// <summary>§5.4.1: "The RequestVote RPC ... includes information about the candidate's log", its last
    /// index and term.</summary>
    [Fact]
    public void Section5_4_1_CandidateSendsLastLogInVoteRequest()
    {
        var node = Nodes.Restored(Nodes.Config(), term: 3, vote: null, commit: 0, 1, 2, 2);

        Nodes.TimeOut(node);

        var requests = Nodes.Sent(node).Cast<RequestVote>().ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal((4L, 3L, 2L, false), (r.Term, r.LastLogIndex, r.LastLogTerm, r.PreVote)));
    }

    public static TheoryData<string, long, long, bool> UpToDate => new()
    {
        // Voter's log terms, candidate's last index and last term, granted? (etcd's TestVoter)
        { "1 1", 2, 1, true },  // same last term, same index
        { "1 1", 3, 1, true },  // same last term, longer
        { "1 1", 1, 1, false }, // same last term, shorter
        { "1", 1, 2, true },    // later last term wins even when shorter
        { "1", 2, 2, true },
        { "1 1", 1, 2, true },
        { "2", 1, 1, false },   // earlier last term loses even when longer
        { "2", 2, 1, false },
        { "2 2", 3, 1, false },
        { "1 2", 5, 1, false },
    };

    /// <summary>§5.4.1: "the voter denies its vote if its own log is more up-to-date than that of the candidate
    /// ... If the logs have last entries with different terms, then the log with the later term is more
    /// up-to-date. If the logs end with the same term, then whichever log is longer is more up-to-date."</summary>
    [Theory]
    [MemberData(nameof(UpToDate))]
    public void Section5_4_1_VoterRejectsOutOfDateCandidate(string voterTerms, long lastIndex, long lastTerm, bool granted)
    {
        var terms = voterTerms.Split(' ').Select(long.Parse).ToArray();
        var node = Nodes.Restored(Nodes.Config(), term: 2, vote: null, commit: 0, terms);

        node.Step(new RequestVote("2", "1", 3, lastIndex, lastTerm, PreVote: false));

        var reply = Assert.IsType<RequestVoteReply>(Assert.Single(Nodes.Sent(node)));
        Assert.Equal((granted, 3L), (reply.Granted, reply.Term));
        Assert.Equal(granted ? "2" : null, node.Vote);
    }

    public static TheoryData<long, long> CurrentTermOnly => new()
    {
        // Index acknowledged by the followers, commit index that results (etcd's TestLeaderOnlyCommitsLogFromCurrentTerm).
        { 1, 0 },
        { 2, 0 },
        { 3, 3 },
    };

    /// <summary>§5.4.2: "Raft never commits log entries from previous terms by counting replicas. Only log
    /// entries from the leader's current term are committed by counting replicas" (Figure 8). The leader of
    /// term 3 holds 1/1, 2/2 and its no-op 3/3.</summary>
    [Theory]
    [MemberData(nameof(CurrentTermOnly))]
    public void Section5_4_2_LeaderOnlyCommitsCurrentTermByCount(long acknowledged, long commit)
    {
        var leader = Nodes.ElectLeader(Nodes.Restored(Nodes.Config(), term: 2, vote: null, commit: 0, 1, 2));
        Assert.Equal((3L, 3L), (leader.Term, leader.LastIndex));

        leader.Step(Nodes.Ack(leader, "2", acknowledged));
        leader.Step(Nodes.Ack(leader, "3", acknowledged));

        Assert.Equal(commit, leader.CommitIndex);
    }

    /// <summary>§5.4.3 (Leader Completeness, via the election restriction): a node whose log lacks a committed
    /// entry cannot win, since every majority holds a node that has the entry and refuses its vote.</summary>
    [Fact]
    public void Section5_4_3_StaleNodeCannotWinElection()
    {
        var leader = Nodes.New("1");
        var follower = new RaftNode(Nodes.Config("2", seed: 2));
        var stale = new RaftNode(Nodes.Config("3", seed: 3));
        var group = new Group(leader, follower, stale);
        Nodes.TimeOut(leader);
        group.Stabilize();
        group.Drop = m => m.To == "3" || m.From == "3";
        leader.Propose([1]);
        group.Stabilize();
        Assert.Equal(2, leader.CommitIndex);

        group.Drop = m => m.To == "1" || m.From == "1"; // The leader is gone; 3 missed entry 2.
        Nodes.TimeOut(stale);
        group.Stabilize();

        Assert.NotEqual(RaftRole.Leader, stale.Role);
        Nodes.TimeOut(follower);
        group.Stabilize();
        Assert.Equal(RaftRole.Leader, follower.Role);
        // The committed entry survives: the new leader has it and gives it to 3.
        Assert.Equal(new byte[] { 1 }, follower.EntryAt(2)?.Data);
        Assert.Equal(new byte[] { 1 }, stale.EntryAt(2)?.Data);
    }
}
