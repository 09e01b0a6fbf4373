using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Paper;

/// <summary>§8 Client interaction.</summary>
public sealed partial class PaperTests
{
    /// <summary>§8: "Raft handles this by having each leader commit a blank no-op entry into the log at the
    /// start of its term."</summary>
    [Fact]
    public void Section8_LeaderAppendsNoOp()
    {
        var node = Nodes.Restored(Nodes.Config(), term: 4, vote: null, commit: 0, 1, 4);
        Nodes.TimeOut(node);
        foreach (var request in Nodes.Sent(node).OfType<RequestVote>())
            node.Step(new RequestVoteReply(request.To, "1", request.Term, true, false));

        var noop = node.EntryAt(3);
        Assert.NotNull(noop);
        Assert.Equal((EntryType.NoOp, 5L), (noop.Type, noop.Term));
        var appends = Nodes.Sent(node).OfType<AppendEntries>().ToList();
        Assert.Equal(2, appends.Count);
        Assert.All(appends, a => Assert.Equal(noop, Assert.Single(a.Entries)));
    }

    /// <summary>§8: "a leader must check whether it has been deposed before processing a read-only request ...
    /// by having the leader exchange heartbeat messages with a majority of the cluster before responding."
    /// (ReadIndex, thesis §6.4: and no log entry is written for it.)</summary>
    [Fact]
    public void Section8_ReadWaitsForHeartbeatQuorum()
    {
        var leader = Nodes.ElectLeader(Nodes.New());
        leader.Step(Nodes.Ack(leader, "2", 1));
        Nodes.Flush(leader);
        var last = leader.LastIndex;

        Assert.True(leader.ReadIndex(7).Accepted);
        var heartbeats = Nodes.Flush(leader).SelectMany(r => r.Messages).OfType<Heartbeat>().ToList();
        Assert.Equal(2, heartbeats.Count);
        Assert.All(heartbeats, h => Assert.Equal(1, h.ReadRound));

        leader.Step(new HeartbeatReply("2", "1", leader.Term, ReadRound: 0)); // An older round proves nothing.
        Assert.DoesNotContain(Nodes.Flush(leader), r => r.ReadStates.Count > 0);

        leader.Step(new HeartbeatReply("2", "1", leader.Term, ReadRound: 1));
        var read = Assert.Single(Nodes.Flush(leader).SelectMany(r => r.ReadStates));
        Assert.Equal(new ReadState(7, 1), read);
        Assert.Equal(last, leader.LastIndex);
    }

    /// <summary>§8: a client request to a follower is rejected with what the follower knows about the leader.</summary>
    [Fact]
    public void Section8_FollowerRedirectsClientsToLeader()
    {
        var node = Nodes.New();
        node.Step(new Heartbeat("3", "1", 1, 0, 0));

        var proposal = node.Propose([1]);
        var read = node.ReadIndex(1);

        Assert.Equal((RejectReason.NotLeader, "3"), (proposal.Reason, proposal.LeaderHint));
        Assert.Equal((RejectReason.NotLeader, "3"), (read.Reason, read.LeaderHint));
        Assert.Equal(0, node.LastIndex);
    }
}
