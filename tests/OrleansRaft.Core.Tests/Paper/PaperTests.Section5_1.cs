using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Paper;

/// <summary>
/// Tests named after the section of the Raft paper (Ongaro and Ousterhout, "In Search of an Understandable
/// Consensus Algorithm", extended version) or of Ongaro's thesis whose rule they check, in the manner of
/// etcd-io/raft's raft_paper_test.go. Each drives one node (or a small group) through the public API.
/// </summary>
public sealed partial class PaperTests
{
    public static TheoryData<RaftRole> Roles => new() { RaftRole.Follower, RaftRole.Candidate, RaftRole.Leader };

    /// <summary>§5.1: "If one server's current term is smaller than the other's, then it updates its current
    /// term to the larger value. If a candidate or leader discovers that its term is out of date, it
    /// immediately reverts to follower state."</summary>
    [Theory]
    [MemberData(nameof(Roles))]
    public void Section5_1_UpdateTermFromMessage(RaftRole role)
    {
        var node = NodeIn(role);
        var newer = node.Term + 1;

        node.Step(new AppendEntries("2", "1", newer, 0, 0, [], 0));

        Assert.Equal(newer, node.Term);
        Assert.Equal(RaftRole.Follower, node.Role);
        Assert.Equal("2", node.Leader);
        Assert.Null(node.Vote);
    }

    /// <summary>§5.1: "If a server receives a request with a stale term number, it rejects the request."</summary>
    [Theory]
    [MemberData(nameof(Roles))]
    public void Section5_1_RejectStaleTermMessage(RaftRole role)
    {
        var node = NodeIn(role);
        var term = node.Term;
        var last = node.LastIndex;

        node.Step(new AppendEntries("2", "1", term - 1, last, node.LastTerm, [new Entry(last + 1, term - 1, EntryType.Normal, [7])], 0));
        node.Step(new RequestVote("3", "1", term - 1, 100, term - 1, PreVote: false));

        Assert.Equal(term, node.Term);
        Assert.Equal(role, node.Role);
        Assert.Equal(last, node.LastIndex);
        Assert.DoesNotContain(Nodes.Sent(node), m => m is RequestVoteReply { Granted: true } or AppendEntriesReply { Success: true });
    }

    /// <summary>§5.1 with CheckQuorum or PreVote: the stale leader must still learn the newer term, or a node
    /// that moved on while cut off could never rejoin (its vote requests are ignored under the lease).</summary>
    [Fact]
    public void Section5_1_StaleLeaderLearnsNewerTerm()
    {
        var node = Nodes.Restored(Nodes.Config(checkQuorum: true), term: 5);

        node.Step(new Heartbeat("2", "1", 3, 0, 0));

        var reply = Assert.IsType<AppendEntriesReply>(Assert.Single(Nodes.Sent(node)));
        Assert.Equal(("2", 5L, false), (reply.To, reply.Term, reply.Success));
    }

    /// <summary>A node of the given role at a term of at least 2, with a log of one entry per term so far.</summary>
    private static RaftNode NodeIn(RaftRole role)
    {
        var node = Nodes.Restored(Nodes.Config(), term: 1, vote: null, commit: 0, 1);
        switch (role)
        {
            case RaftRole.Candidate:
                Nodes.TimeOut(node);
                Nodes.Flush(node);
                break;
            case RaftRole.Leader:
                Nodes.ElectLeader(node);
                break;
            default:
                node.Step(new Heartbeat("3", "1", 2, 0, 0));
                Nodes.Flush(node);
                break;
        }
        Assert.Equal(role, node.Role);
        Assert.Equal(2, node.Term);
        return node;
    }
}
