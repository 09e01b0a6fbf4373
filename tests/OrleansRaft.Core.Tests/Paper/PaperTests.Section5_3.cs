using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Paper;

/// <summary>§5.3 Log replication.</summary>
public sealed partial class PaperTests
{
    /// <summary>§5.3: "The leader appends the command to its log as a new entry, then issues AppendEntries RPCs
    /// in parallel to each of the other servers to replicate the entry."</summary>
    [Fact]
    public void Section5_3_LeaderReplicatesCommand()
    {
        var leader = Nodes.ElectLeader(Nodes.New());
        leader.Step(Nodes.Ack(leader, "2", 1));
        leader.Step(Nodes.Ack(leader, "3", 1));
        Nodes.Flush(leader);

        var result = leader.Propose([42]);

        Assert.True(result.Accepted);
        var expected = new Entry(2, 1, EntryType.Normal, [42]);
        var ready = Assert.Single(Nodes.Flush(leader));
        Assert.Equal(expected.Index, Assert.Single(ready.Entries).Index);
        var appends = ready.Messages.Cast<AppendEntries>().OrderBy(m => m.To).ToList();
        Assert.Equal(["2", "3"], appends.Select(m => m.To));
        Assert.All(appends, m =>
        {
            Assert.Equal((1L, 1L, 1L, 1L), (m.Term, m.PrevLogIndex, m.PrevLogTerm, m.LeaderCommit));
            var entry = Assert.Single(m.Entries);
            Assert.Equal((expected.Index, expected.Term), (entry.Index, entry.Term));
            Assert.Equal(expected.Data, entry.Data);
        });
        Assert.Equal(1, leader.CommitIndex);
    }

    public static TheoryData<int, string, bool> Acks => new()
    {
        // Group size, followers that acknowledged, committed? (etcd's TestLeaderAcknowledgeCommit)
        { 1, "", true },
        { 3, "", false },
        { 3, "2", true },
        { 3, "2 3", true },
        { 5, "", false },
        { 5, "2", false },
        { 5, "2 3", true },
        { 5, "2 3 4 5", true },
    };

    /// <summary>§5.3: "A log entry is committed once the leader that created the entry has replicated it on a
    /// majority of the servers", the leader's own durable copy included.</summary>
    [Theory]
    [MemberData(nameof(Acks))]
    public void Section5_3_LeaderCommitsOnMajority(int size, string acks, bool committed)
    {
        var leader = Nodes.ElectLeader(Nodes.New(peers: size));
        foreach (var peer in Nodes.Peers(size).Skip(1)) leader.Step(Nodes.Ack(leader, peer, 1));
        Nodes.Flush(leader);
        var index = leader.Propose([1]).Index;
        var applied = Nodes.Applied(leader);

        foreach (var peer in acks.Split(' ', StringSplitOptions.RemoveEmptyEntries)) leader.Step(Nodes.Ack(leader, peer, index));
        applied.AddRange(Nodes.Applied(leader));

        Assert.Equal(committed, leader.CommitIndex == index);
        Assert.Equal(committed, applied.Any(e => e.Index == index));
    }

    /// <summary>§5.3: "This also commits all preceding entries in the leader's log, including entries created by
    /// previous leaders."</summary>
    [Fact]
    public void Section5_3_CommittingAlsoCommitsPrecedingEntries()
    {
        var leader = Nodes.ElectLeader(Nodes.Restored(Nodes.Config(), term: 2, vote: null, commit: 0, 1, 2));
        Assert.Equal(3, leader.LastIndex); // 1/1, 2/2, then the no-op 3/3.
        leader.Propose([1]);
        Nodes.Flush(leader);

        leader.Step(Nodes.Ack(leader, "2", 4));

        Assert.Equal([1L, 2, 3, 4], Nodes.Applied(leader).Select(e => e.Index));
    }

    /// <summary>§5.3: "Once a follower learns that a log entry is committed, it applies the entry to its local
    /// state machine (in log order)", and never beyond what it holds.</summary>
    [Fact]
    public void Section5_3_FollowerAppliesCommittedEntries()
    {
        var node = Nodes.New();
        var entries = new List<Entry> { new(1, 1, EntryType.Normal, [1]), new(2, 1, EntryType.Normal, [2]) };

        node.Step(new AppendEntries("2", "1", 1, 0, 0, entries, LeaderCommit: 1));
        Assert.Equal([1L], Nodes.Applied(node).Select(e => e.Index));

        node.Step(new Heartbeat("2", "1", 1, Commit: 2, 0));
        Assert.Equal([2L], Nodes.Applied(node).Select(e => e.Index));
        Assert.Equal(2, node.AppliedIndex);
    }

    public static TheoryData<long, long, bool, long> Consistency => new()
    {
        // PrevLogIndex, PrevLogTerm, accepted, reply index (etcd's TestFollowerCheckMsgApp). Log: 1/1, 2/2, committed 1.
        { 0, 0, true, 1 },  // Below the commit index: everything up to commit matches.
        { 1, 1, true, 1 },
        { 2, 2, true, 2 },
        { 1, 2, false, 1 }, // At the commit index the term is still checked.
        { 2, 1, false, 2 },
        { 3, 2, false, 3 },
    };

    /// <summary>§5.3: "If the follower does not find an entry in its log with the same index and term, then it
    /// refuses the new entries." The rejection names the rejected PrevLogIndex.</summary>
    [Theory]
    [MemberData(nameof(Consistency))]
    public void Section5_3_FollowerRejectsAppendOnMismatch(long prevIndex, long prevTerm, bool accepted, long index)
    {
        var node = Nodes.Restored(Nodes.Config(), term: 2, vote: null, commit: 1, 1, 2);

        node.Step(new AppendEntries("2", "1", 2, prevIndex, prevTerm, [], 1));

        var reply = Assert.IsType<AppendEntriesReply>(Assert.Single(Nodes.Sent(node)));
        Assert.Equal((accepted, index), (reply.Success, reply.Index));
        Assert.Equal(2, node.LastIndex);
    }

    public static TheoryData<long, long, string, string> Appends => new()
    {
        // prev index, prev term, new entry terms (from prev + 1), resulting log terms. Log: 1/1, 2/2.
        // (etcd's TestFollowerAppendEntries)
        { 2, 2, "3", "1 2 3" },
        { 1, 1, "3 4", "1 3 4" },
        { 0, 0, "1", "1 2" },
        { 0, 0, "3", "3" },
        { 1, 1, "2", "1 2" },
    };

    /// <summary>§5.3: "If an existing entry conflicts with a new one (same index but different terms), delete
    /// the existing entry and all that follow it" (Figure 2, AppendEntries receiver step 3); entries that
    /// already match are kept.</summary>
    [Theory]
    [MemberData(nameof(Appends))]
    public void Section5_3_FollowerTruncatesConflictingSuffix(long prevIndex, long prevTerm, string terms, string expected)
    {
        var node = Nodes.Restored(Nodes.Config(), term: 2, vote: null, commit: 0, 1, 2);
        var entries = terms.Split(' ').Select((t, i) => new Entry(prevIndex + 1 + i, long.Parse(t), EntryType.Normal, [])).ToList();

        node.Step(new AppendEntries("2", "1", 4, prevIndex, prevTerm, entries, 0));

        var log = Enumerable.Range(1, (int)node.LastIndex).Select(i => node.TermAt(i));
        Assert.Equal(expected, string.Join(' ', log));
        var written = Nodes.Flush(node).SelectMany(r => r.Entries).ToList();
        Assert.All(written, e => Assert.Equal(e.Term, node.TermAt(e.Index)));
    }

    public static TheoryData<string, string> Figure7 => new()
    {
        // Figure 7: the leader of term 8 holds 1 1 1 4 4 5 5 6 6 6; rows (a) to (f) are possible followers.
        { "a", "1 1 1 4 4 5 5 6 6" },
        { "b", "1 1 1 4" },
        { "c", "1 1 1 4 4 5 5 6 6 6 6" },
        { "d", "1 1 1 4 4 5 5 6 6 6 7 7" },
        { "e", "1 1 1 4 4 4 4" },
        { "f", "1 1 1 2 2 2 3 3 3 3 3" },
    };

    /// <summary>§5.3: "the leader handles inconsistencies by forcing the followers' logs to duplicate its own"
    /// (Figure 7). A third node with an empty log gives the leader its majority.</summary>
    [Theory]
    [MemberData(nameof(Figure7))]
    public void Section5_3_LeaderBringsFollowerLogsInSync(string row, string followerTerms)
    {
        long[] leaderTerms = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
        var terms = followerTerms.Split(' ').Select(long.Parse).ToArray();
        var leader = Nodes.Restored(Nodes.Config("1"), term: 7, vote: null, commit: 0, leaderTerms);
        var follower = Nodes.Restored(Nodes.Config("2", seed: 2), term: terms.Max(), vote: null, commit: 0, terms);
        var empty = Nodes.Restored(Nodes.Config("3", seed: 3), term: 7);
        var group = new Group(leader, follower, empty);

        Nodes.TimeOut(leader);
        group.Stabilize();
        Assert.Equal(RaftRole.Leader, leader.Role);
        leader.Propose([1]);
        group.Stabilize();

        Assert.True(follower.LastIndex == leader.LastIndex, $"row ({row})");
        for (var i = 1L; i <= leader.LastIndex; i++) Assert.Equal(leader.TermAt(i), follower.TermAt(i));
        Assert.Equal(leader.LastIndex, leader.CommitIndex);
    }

    /// <summary>§5.3 / §5.5: "If followers crash or run slowly, or if network packets are lost, the leader
    /// retries AppendEntries RPCs indefinitely", without waiting for new commands to push things along.</summary>
    [Fact]
    public void Section5_3_LeaderRetriesLostAppendsIndefinitely()
    {
        var group = new Group(Nodes.New("1"), new RaftNode(Nodes.Config("2", seed: 2)), new RaftNode(Nodes.Config("3", seed: 3)));
        var leader = group["1"];
        Nodes.TimeOut(leader);
        group.Stabilize();
        leader.Propose([1]);
        leader.Propose([2]);

        group.Drop = m => m is AppendEntries or AppendEntriesReply; // Every append and every ack is lost.
        group.Stabilize();
        Assert.Equal(1, leader.CommitIndex);

        group.Drop = _ => false;
        leader.Tick(); // A heartbeat round, and nothing else.
        group.Stabilize();
        leader.Tick();
        group.Stabilize();

        Assert.Equal(3, leader.CommitIndex);
        Assert.Equal(3, group["2"].CommitIndex);
        Assert.Equal(3, group["3"].CommitIndex);
    }
}
