using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Paper;

/// <summary>§7 Log compaction: snapshots, and InstallSnapshot for followers that fell behind the leader's log.</summary>
public sealed partial class PaperTests
{
    private static RaftConfig ChunkedConfig(string id, int seed) => Nodes.Config(id, seed: seed) with { MaxSnapshotChunkBytes = 100 };

    /// <summary>A leader, a follower and a follower cut off while the leader commits, snapshots and compacts.</summary>
    private static (Group Group, RaftNode Leader, RaftNode Lagging, Snapshot Snapshot) LeaderCompactedPastLaggingFollower()
    {
        var group = new Group(new RaftNode(ChunkedConfig("1", 1)), new RaftNode(ChunkedConfig("2", 2)), new RaftNode(ChunkedConfig("3", 3)));
        var leader = group["1"];
        Nodes.TimeOut(leader);
        group.Stabilize();
        group.Drop = m => m.To == "3" || m.From == "3";
        for (var i = 0; i < 20; i++) leader.Propose([(byte)i]);
        group.Stabilize();
        Assert.Equal(21, leader.AppliedIndex);

        var data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var snapshot = leader.CreateSnapshot(leader.AppliedIndex, data);
        leader.Compact(snapshot.Index);
        Assert.Equal(22, leader.FirstIndex);
        return (group, leader, group["3"], snapshot);
    }

    /// <summary>§7: "the leader must occasionally send snapshots to followers that lag behind" when "the leader has
    /// already discarded the next log entry that it needs to send to a follower". The snapshot travels in chunks
    /// ("the leader ... sends it in chunks"); the follower installs it, replaces its log, and then catches up by
    /// ordinary appends.</summary>
    [Fact]
    public void Section7_LeaderSendsItsSnapshotInChunksToAFollowerBehindItsLog()
    {
        var (group, leader, lagging, snapshot) = LeaderCompactedPastLaggingFollower();
        var chunks = new List<InstallSnapshot>();
        var installed = new List<Snapshot>();
        group.Observe = (node, ready) =>
        {
            chunks.AddRange(ready.Messages.OfType<InstallSnapshot>());
            if (node == lagging && ready.Snapshot is not null) installed.Add(ready.Snapshot);
        };

        group.Drop = _ => false;
        leader.Tick();
        group.Stabilize();
        leader.Propose([99]);
        group.Stabilize();
        leader.Tick(); // the heartbeat carries the new commit index
        group.Stabilize();

        Assert.Equal(10, chunks.Count);
        Assert.All(chunks, c => Assert.True(c.Data.Length <= 100));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * 100L), chunks.Select(c => c.Offset));
        var restored = Assert.Single(installed);
        Assert.Equal((snapshot.Index, snapshot.Term), (restored.Index, restored.Term));
        Assert.Equal(snapshot.Data, restored.Data);
        Assert.Equal(snapshot.Index + 1, lagging.FirstIndex);
        Assert.Equal(leader.LastIndex, lagging.LastIndex);
        Assert.Equal(leader.CommitIndex, lagging.CommitIndex);
        Assert.Equal((22L, 22L), (leader.CommitIndex, lagging.AppliedIndex));
    }

    /// <summary>A lost chunk (or its answer) stalls the transfer only until the next heartbeat answer, which resends
    /// from the offset the follower asked for last: the transfer resumes, it does not start over.</summary>
    [Fact]
    public void Section7_ATransferResumesFromTheFollowersOffsetAfterALostChunk()
    {
        var (group, leader, lagging, snapshot) = LeaderCompactedPastLaggingFollower();
        var lost = 0;
        var offsets = new List<long>();
        group.Observe = (_, ready) => offsets.AddRange(ready.Messages.OfType<InstallSnapshot>().Select(c => c.Offset));
        group.Drop = m => m is InstallSnapshot { Offset: 500 } && lost++ == 0;

        leader.Tick();
        group.Stabilize();
        Assert.True(lagging.CommitIndex < snapshot.Index);
        leader.Tick(); // heartbeat answer: progress was made since the last one
        group.Stabilize();
        leader.Tick(); // still stalled: resend
        group.Stabilize();

        Assert.Equal(snapshot.Index, lagging.CommitIndex);
        Assert.Equal([0, 100, 200, 300, 400, 500, 500, 600, 700, 800, 900], offsets);
    }

    /// <summary>Duplicated chunks and answers do not multiply the chunks in flight: only the answer to the chunk sent
    /// last moves the transfer on.</summary>
    [Fact]
    public void Section7_DuplicatedChunksAndAnswersDoNotMultiplyTheTransfer()
    {
        var (group, leader, lagging, snapshot) = LeaderCompactedPastLaggingFollower();
        var sent = 0;
        group.Observe = (node, ready) =>
        {
            foreach (var message in ready.Messages.Where(m => m is InstallSnapshot or InstallSnapshotReply).ToList())
            {
                if (message is InstallSnapshot) sent++;
                lagging.Step(message is InstallSnapshot ? message : message with { }); // deliver a duplicate ahead
                if (message is InstallSnapshotReply) leader.Step(message);
            }
        };
        group.Drop = _ => false;
        leader.Tick();
        group.Stabilize();

        Assert.Equal(snapshot.Index, lagging.CommitIndex);
        Assert.True(sent <= 11, $"{sent} chunks sent for a 10-chunk snapshot");
    }

    /// <summary>§7: a follower never goes back. A snapshot that covers no more than it has committed is answered
    /// with its commit index and changes nothing.</summary>
    [Fact]
    public void Section7_AFollowerIgnoresASnapshotItsCommittedLogAlreadyCovers()
    {
        var follower = Nodes.Restored(Nodes.Config("2", seed: 2), term: 2, vote: null, commit: 5, 1, 1, 2, 2, 2, 2);
        Nodes.Flush(follower);

        follower.Step(new InstallSnapshot("1", "2", 2, SnapshotIndex: 4, SnapshotTerm: 2, Offset: 0, Data: [1, 2, 3], Done: true));

        var readies = Nodes.Flush(follower);
        Assert.All(readies, r => Assert.Null(r.Snapshot));
        var reply = Assert.IsType<AppendEntriesReply>(Assert.Single(readies.SelectMany(r => r.Messages)));
        Assert.True(reply.Success);
        Assert.Equal(5, reply.Index);
        Assert.Equal((1L, 6L), (follower.FirstIndex, follower.LastIndex));
    }

    /// <summary>§7: "If existing log entry has same index and term as snapshot's last included entry, retain log
    /// entries following it": the snapshot only advances the commit index.</summary>
    [Fact]
    public void Section7_AFollowerHoldingTheSnapshotsLastEntryKeepsTheLogAfterIt()
    {
        var follower = Nodes.Restored(Nodes.Config("2", seed: 2), term: 2, vote: null, commit: 1, 1, 1, 2, 2, 2, 2);
        Nodes.Flush(follower);

        follower.Step(new InstallSnapshot("1", "2", 2, SnapshotIndex: 4, SnapshotTerm: 2, Offset: 0, Data: [1], Done: true));

        var readies = Nodes.Flush(follower);
        Assert.All(readies, r => Assert.Null(r.Snapshot));
        Assert.Equal(4, follower.CommitIndex);
        Assert.Equal(6, follower.LastIndex);
    }

    /// <summary>§7: otherwise "discard the entire log" and reset the state machine from the snapshot; the Ready
    /// carries the snapshot and the acknowledgement that must wait until it is durable.</summary>
    [Fact]
    public void Section7_AFollowerWithAConflictingLogReplacesItWithTheSnapshot()
    {
        var follower = Nodes.Restored(Nodes.Config("2", seed: 2), term: 3, vote: null, commit: 1, 1, 1, 2, 2, 2, 2);
        Nodes.Flush(follower);

        follower.Step(new InstallSnapshot("1", "2", 3, SnapshotIndex: 4, SnapshotTerm: 3, Offset: 0, Data: [7], Done: true));

        var ready = Assert.Single(Nodes.Flush(follower));
        Assert.Equal(new Snapshot(4, 3, [7]).ToString(), ready.Snapshot?.ToString());
        Assert.False(ready.MessagesMayPrecedePersist);
        var reply = Assert.IsType<AppendEntriesReply>(Assert.Single(ready.Messages));
        Assert.Equal((true, 4L), (reply.Success, reply.Index));
        Assert.Equal((5L, 4L, 4L, 4L), (follower.FirstIndex, follower.LastIndex, follower.CommitIndex, follower.AppliedIndex));
        Assert.Equal(3, follower.TermAt(4));
    }

    /// <summary>Chunks of two different snapshots never mix: a chunk that does not continue the transfer under way
    /// is answered with the offset wanted (0 for a snapshot not seen from its start).</summary>
    [Fact]
    public void Section7_AChunkOutOfPlaceIsAnsweredWithTheOffsetWanted()
    {
        var follower = new RaftNode(Nodes.Config("2", seed: 2));
        follower.Step(new InstallSnapshot("1", "2", 1, 10, 1, Offset: 0, Data: [1, 2], Done: false));
        follower.Step(new InstallSnapshot("1", "2", 1, 10, 1, Offset: 5, Data: [3], Done: false));
        follower.Step(new InstallSnapshot("1", "2", 1, 12, 1, Offset: 2, Data: [3], Done: false));

        var replies = Nodes.Sent(follower).Cast<InstallSnapshotReply>().Select(r => (r.SnapshotIndex, r.NextOffset));
        Assert.Equal([(10L, 2L), (10L, 2L), (12L, 0L)], replies);
    }

    [Fact]
    public void Section7_SnapshotsOnlyCoverAppliedEntriesAndNeverGoBack()
    {
        var leader = Nodes.ElectLeader(Nodes.New(peers: 1));
        leader.Propose([1]);
        Nodes.Flush(leader);
        Assert.Equal(2, leader.AppliedIndex);

        Assert.Throws<InvalidOperationException>(() => leader.CreateSnapshot(3, []));
        Assert.Throws<InvalidOperationException>(() => leader.Compact(1));
        leader.CreateSnapshot(2, [5]);
        Assert.Throws<InvalidOperationException>(() => leader.CreateSnapshot(2, [6]));
        Assert.Throws<InvalidOperationException>(() => leader.Compact(3));
        leader.Compact(1);
        Assert.Equal(2, leader.FirstIndex);
        Assert.Null(leader.EntryAt(1));
        Assert.Equal(1, leader.TermAt(1));
    }

    /// <summary>Restart: the node trusts its snapshot, keeps stored entries that continue it, and drops the remains of
    /// a log that an installed snapshot replaced (a crash between saving the snapshot and clearing the log).</summary>
    [Theory]
    [InlineData("1 1 2 2 2", 4, 2, 5)]  // the stored log holds the snapshot's entry (4, 2): entry 5 continues it
    [InlineData("1 1 1 1 1", 4, 2, 4)]  // it holds (4, 1) instead: entry 5 followed another prefix and goes
    [InlineData("1 1", 4, 2, 4)]        // everything stored is covered
    public void Section7_RestartFromSnapshotKeepsOnlyTheLogThatContinuesIt(string storedTerms, long snapshotIndex, long snapshotTerm, long lastIndex)
    {
        var entries = Nodes.Log(storedTerms.Split(' ').Select(long.Parse).ToArray());
        var node = new RaftNode(Nodes.Config("2", seed: 2),
            new PersistedState(new HardState(2, null, 0), entries, new Snapshot(snapshotIndex, snapshotTerm, [1])));

        Assert.Equal((snapshotIndex + 1, lastIndex), (node.FirstIndex, node.LastIndex));
        Assert.Equal((snapshotIndex, snapshotIndex), (node.CommitIndex, node.AppliedIndex));
        Assert.Equal(snapshotTerm, node.TermAt(snapshotIndex));
    }

    [Fact]
    public void Section7_RestartRefusesALogWithAGapAfterItsSnapshot()
    {
        var entries = new List<Entry> { new(7, 2, EntryType.Normal, []) };
        Assert.Throws<InvalidOperationException>(() => new RaftNode(Nodes.Config("2", seed: 2),
            new PersistedState(new HardState(2, null, 0), entries, new Snapshot(4, 2, [1]))));
        Assert.Throws<InvalidOperationException>(() => new RaftNode(Nodes.Config("2", seed: 2),
            new PersistedState(new HardState(2, null, 0), entries)));
    }
}
