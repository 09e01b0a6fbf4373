using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit;

/// <summary>The contract written on <see cref="Ready"/>: one outstanding Ready at a time, writes before sends
/// (with the leader's documented exception), each committed entry handed out once, and the leader's own copy
/// counted only once the host acknowledged it durable through <see cref="RaftNode.Advance"/>.</summary>
public sealed class ReadyContractTests
{
    [Fact]
    public void GetReady_RequiresAdvanceFirst()
    {
        var node = Nodes.New();
        Nodes.TimeOut(node);
        var ready = node.GetReady();
        node.Propose([1]);

        Assert.False(node.HasReady);
        Assert.Throws<InvalidOperationException>(() => node.GetReady());

        node.Advance(ready);
        Assert.True(node.HasReady || node.Role != RaftRole.Leader);
    }

    [Fact]
    public void Advance_RequiresAnOutstandingReady()
    {
        var node = Nodes.New();
        Nodes.TimeOut(node);
        var ready = node.GetReady();
        node.Advance(ready);

        Assert.Throws<InvalidOperationException>(() => node.Advance(ready));
        Assert.Throws<ArgumentNullException>(() => node.Advance(null!));
    }

    [Fact]
    public void HasReady_IsFalseWhenThereIsNothingToDo()
    {
        var node = Nodes.New();
        Assert.False(node.HasReady);

        Nodes.TimeOut(node);
        Nodes.Flush(node);

        Assert.False(node.HasReady);
    }

    /// <summary>Thesis §10.2.1: the leader may send entries before its own write is durable, but counts its own
    /// copy toward a majority only once that write is acknowledged.</summary>
    [Fact]
    public void Leader_CountsItselfOnlyAfterAdvance()
    {
        var leader = Nodes.ElectLeader(Nodes.New());
        var index = leader.Propose([1]).Index;
        var ready = leader.GetReady();
        Assert.Contains(ready.Entries, e => e.Index == index);

        // Leader + 2 would be a majority for the new entry, but the leader's copy is still in flight;
        // only the no-op, durable on both, commits.
        leader.Step(Nodes.Ack(leader, "2", index));
        Assert.Equal(index - 1, leader.CommitIndex);

        leader.Advance(ready);
        Assert.Equal(index, leader.CommitIndex);
    }

    /// <summary>The other side of §10.2.1: a majority of followers suffices without the leader's own copy.</summary>
    [Fact]
    public void Leader_CommitsOnFollowerMajorityWhileItsOwnWriteIsInFlight()
    {
        var leader = Nodes.ElectLeader(Nodes.New());
        var index = leader.Propose([1]).Index;
        var ready = leader.GetReady();

        leader.Step(Nodes.Ack(leader, "2", index));
        leader.Step(Nodes.Ack(leader, "3", index));

        Assert.Equal(index, leader.CommitIndex);
        leader.Advance(ready);
        Assert.Equal(index, Assert.Single(Nodes.Flush(leader)).CommittedEntries[^1].Index);
    }

    [Fact]
    public void MessagesMayPrecedePersist_OnlyForLeaderWhoseTermAndVoteAreDurable()
    {
        var node = Nodes.New(preVote: true);
        Nodes.TimeOut(node);
        var preCandidate = Assert.Single(Nodes.Flush(node));
        foreach (var request in preCandidate.Messages.Cast<RequestVote>())
            node.Step(new RequestVoteReply(request.To, "1", request.Term, true, PreVote: true));
        var candidate = Assert.Single(Nodes.Flush(node));
        node.Step(new RequestVoteReply("2", "1", node.Term, true, PreVote: false));
        var leader = Nodes.Flush(node);

        Assert.False(preCandidate.MessagesMayPrecedePersist);
        Assert.NotNull(candidate.HardState);
        Assert.False(candidate.MessagesMayPrecedePersist); // Its vote requests promise the term and vote it writes.
        Assert.All(leader, r => Assert.True(r.MessagesMayPrecedePersist));
        Assert.Contains(leader, r => r.Messages.OfType<AppendEntries>().Any());
    }

    [Fact]
    public void MessagesMayPrecedePersist_NotForLeaderWhoseTermChangedInTheSameReady()
    {
        var node = Nodes.New(peers: 1);
        Nodes.TimeOut(node);

        var ready = node.GetReady();

        Assert.Equal(RaftRole.Leader, ready.SoftState.Role);
        Assert.NotNull(ready.HardState);
        Assert.False(ready.MessagesMayPrecedePersist);
    }

    /// <summary>A candidate that voted for itself in the last term it wrote and wins the next one in the same turn:
    /// its vote is unchanged, its term is not, and the appends of the new term must wait for that term to be durable.</summary>
    [Fact]
    public void MessagesMayPrecedePersist_NotForLeaderWhoseTermAloneChangedInTheSameReady()
    {
        var node = Nodes.New();
        Nodes.TimeOut(node);
        Nodes.Flush(node);
        Nodes.TimeOut(node);
        node.Step(new RequestVoteReply("2", "1", node.Term, true, PreVote: false));

        var ready = node.GetReady();

        Assert.Equal(RaftRole.Leader, ready.SoftState.Role);
        Assert.Equal(new HardState(2, "1", 0), ready.HardState);
        Assert.False(ready.MessagesMayPrecedePersist);
    }

    /// <summary>A leader that proposed and then stepped down (CheckQuorum) before any Ready: the entry is still handed
    /// out to be made durable (nothing else is pending), and the node, no longer leader, broadcasts nothing.</summary>
    [Fact]
    public void UnstableEntriesOfALeaderThatSteppedDownAreHandedOutButNotSent()
    {
        var node = Nodes.ElectLeader(new RaftNode(Nodes.Config(checkQuorum: true)));
        // Both followers acknowledge the no-op: replicating, they would be sent the proposal at once by a leader.
        foreach (var peer in new[] { "2", "3" }) node.Step(Nodes.Ack(node, peer, 1));
        Nodes.Flush(node);
        for (var tick = 1; tick < 2 * Nodes.Election; tick++)
        {
            node.Tick();
            Nodes.Flush(node);
        }
        var proposed = node.Propose([1]);
        node.Tick();
        Assert.Equal(RaftRole.Follower, node.Role);

        Assert.True(node.HasReady);
        var ready = node.GetReady();

        Assert.Equal([proposed.Index], ready.Entries.Select(e => e.Index));
        Assert.Empty(ready.Messages);
    }

    [Fact]
    public void MessagesMayPrecedePersist_NeverForFollowers()
    {
        var node = Nodes.New();
        node.Step(new RequestVote("2", "1", 1, 0, 0, PreVote: false));
        var vote = node.GetReady();
        node.Advance(vote);
        node.Step(new AppendEntries("2", "1", 1, 0, 0, [new Entry(1, 1, EntryType.NoOp, [])], 0));
        var append = node.GetReady();

        Assert.False(vote.MessagesMayPrecedePersist);     // The grant promises the vote being written.
        Assert.False(append.MessagesMayPrecedePersist);   // The ack promises the entry being written.
        Assert.IsType<AppendEntriesReply>(Assert.Single(append.Messages));
        Assert.Single(append.Entries);
    }

    [Fact]
    public void HardState_IsNullUnlessChanged()
    {
        var leader = Nodes.ElectLeader(Nodes.New());
        leader.Propose([1]);

        var ready = leader.GetReady();

        Assert.Null(ready.HardState);
        leader.Advance(ready);
        leader.Step(Nodes.Ack(leader, "2", 2));
        Assert.Equal(new HardState(1, "1", 2), leader.GetReady().HardState);
    }

    [Fact]
    public void CommittedEntries_AreHandedOutExactlyOnceInOrder()
    {
        var leader = Nodes.ElectLeader(Nodes.New());
        for (byte b = 1; b <= 3; b++) leader.Propose([b]);
        Nodes.Flush(leader);
        leader.Step(Nodes.Ack(leader, "2", 2));
        var first = Nodes.Applied(leader);
        leader.Step(Nodes.Ack(leader, "2", 4));
        var second = Nodes.Applied(leader);

        Assert.Equal([1L, 2L, 3L, 4L], first.Concat(second).Select(e => e.Index));
        Assert.Equal(4, leader.AppliedIndex);
    }

    /// <summary>Entries overwrite: a follower whose unstable suffix is replaced before Advance must not take
    /// the replacement as durable, and hands it out for writing again.</summary>
    [Fact]
    public void Advance_DoesNotMarkReplacedEntriesDurable()
    {
        var node = Nodes.New();
        node.Step(new AppendEntries("2", "1", 1, 0, 0, [new Entry(1, 1, EntryType.NoOp, []), new Entry(2, 1, EntryType.Normal, [1])], 0));
        var ready = node.GetReady();
        Assert.Equal(2, ready.LastEntryIndex);

        node.Step(new AppendEntries("3", "1", 2, 1, 1, [new Entry(2, 2, EntryType.NoOp, [])], 0));
        node.Advance(ready);

        Assert.True(node.StableIndex < 2);
        // The next Ready writes the replacement (and, conservatively, may write 1/1 again).
        var rewrite = Assert.Single(Nodes.Flush(node)).Entries;
        Assert.Equal((2L, 2L), (rewrite[^1].Index, rewrite[^1].Term));
        Assert.Equal(node.StableIndex + 1 - rewrite.Count, rewrite[0].Index);
        Assert.Equal(2, node.StableIndex);
    }
}
