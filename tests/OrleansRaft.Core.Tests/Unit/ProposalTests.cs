using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit;

/// <summary>What <see cref="RaftNode.Propose"/> and <see cref="RaftNode.ReadIndex"/> refuse, and that a refusal
/// changes nothing: flow control (uncommitted bytes, entry size) and NotLeader with a leader hint.</summary>
public sealed class ProposalTests
{
    /// <summary>A leader of term 1 whose no-op is committed, so that its budget is empty.</summary>
    private static RaftNode Leader(int maxEntryBytes = 50, long maxUncommittedBytes = 100)
    {
        var config = Nodes.Config() with { MaxEntryBytes = maxEntryBytes, MaxUncommittedBytes = maxUncommittedBytes };
        var leader = Nodes.ElectLeader(new RaftNode(config));
        leader.Step(Nodes.Ack(leader, "2", 1));
        Nodes.Flush(leader);
        return leader;
    }

    [Fact]
    public void Propose_RefusesCommandLargerThanMaxEntryBytes()
    {
        var leader = Leader(maxEntryBytes: 10);

        var tooLarge = leader.Propose(new byte[11]);
        var largest = leader.Propose(new byte[10]);

        Assert.Equal((false, RejectReason.EntryTooLarge, "1"), (tooLarge.Accepted, tooLarge.Reason, tooLarge.LeaderHint));
        Assert.Equal((0L, 0L), (tooLarge.Index, tooLarge.Term));
        Assert.True(largest.Accepted);
        Assert.Equal(2, leader.LastIndex);
    }

    [Fact]
    public void Propose_RefusesOnceUncommittedBytesWouldExceedTheLimit()
    {
        var leader = Leader();
        Assert.True(leader.Propose(new byte[40]).Accepted); // 40 + 24 = 64 bytes uncommitted.

        var refused = leader.Propose(new byte[40]);           // 128 > 100.

        Assert.Equal((RejectReason.UncommittedLimitExceeded, "1"), (refused.Reason, refused.LeaderHint));
        Assert.Equal(2, leader.LastIndex);
        Assert.True(leader.Propose(new byte[12]).Accepted);   // 64 + 36 = 100 still fits.
    }

    [Fact]
    public void Propose_AcceptsAgainOnceEntriesCommit()
    {
        var leader = Leader();
        var first = leader.Propose(new byte[40]);
        Assert.False(leader.Propose(new byte[40]).Accepted);
        Nodes.Flush(leader);

        leader.Step(Nodes.Ack(leader, "2", first.Index));

        Assert.Equal(first.Index, leader.CommitIndex);
        Assert.True(leader.Propose(new byte[40]).Accepted);
    }

    /// <summary>As in etcd, one entry is always admitted when nothing is uncommitted, whatever its size
    /// (up to MaxEntryBytes), so that a leader can never be wedged by its own budget.</summary>
    [Fact]
    public void Propose_AlwaysAdmitsOneEntryWhenNothingIsUncommitted()
    {
        var leader = Leader(maxEntryBytes: 50, maxUncommittedBytes: 50);

        Assert.True(leader.Propose(new byte[50]).Accepted); // 74 bytes counted, above the limit of 50.
        Assert.Equal(RejectReason.UncommittedLimitExceeded, leader.Propose([1]).Reason);
    }

    [Fact]
    public void Propose_OnFollowerNamesTheLeaderItFollows()
    {
        var node = Nodes.New();
        node.Step(new Messages.Heartbeat("3", "1", 2, 0, 0));

        var result = node.Propose([1]);

        Assert.Equal((false, RejectReason.NotLeader, "3"), (result.Accepted, result.Reason, result.LeaderHint));
        Assert.Equal(0, node.LastIndex);
        Assert.Empty(Nodes.Flush(node).SelectMany(r => r.Entries));
    }

    [Theory]
    [InlineData(RaftRole.Follower)]
    [InlineData(RaftRole.PreCandidate)]
    [InlineData(RaftRole.Candidate)]
    public void Propose_WithoutKnownLeaderGivesNoHint(RaftRole role)
    {
        var node = Nodes.New(preVote: role == RaftRole.PreCandidate);
        if (role != RaftRole.Follower) Nodes.TimeOut(node);
        Assert.Equal(role, node.Role);

        Assert.Equal(ProposeResult.Rejected(RejectReason.NotLeader, null), node.Propose([1]));
        Assert.Equal(new ReadIndexResult(RejectReason.NotLeader, null), node.ReadIndex(1));
    }

    [Fact]
    public void ReadIndex_OnFollowerNamesTheLeader()
    {
        var node = Nodes.New();
        node.Step(new Messages.Heartbeat("2", "1", 1, 0, 0));

        Assert.Equal(new ReadIndexResult(RejectReason.NotLeader, "2"), node.ReadIndex(9));
    }

    [Fact]
    public void Propose_RefusesNull() =>
        Assert.Throws<ArgumentNullException>(() => Leader().Propose(null!));
}
