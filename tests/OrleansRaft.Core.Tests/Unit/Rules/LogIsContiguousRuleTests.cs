using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// The log is one contiguous run of indexes after its base (0, or the snapshot's index): the Log Matching property
/// (§5.3) is stated over positions, and <see cref="RaftLog"/> finds an entry by <c>index - offset</c>. Storage that
/// hands back a log with a gap, or a log that does not start where the snapshot (or index 1) leaves off, is refused
/// at recovery instead of being read as a shifted log; an append that does not follow the last entry is refused too.
/// </summary>
public sealed class LogIsContiguousRuleTests
{
    public static TheoryData<string, long, long, string> Recovery => new()
    {
        // stored entry indexes, snapshot index (0 for none), snapshot term, outcome: "ok" or "refused"
        { "1 2 3", 0, 0, "ok" },
        { "1 3", 0, 0, "refused" },      // a gap inside the stored log
        { "1 2 4", 0, 0, "refused" },
        { "2 3", 0, 0, "refused" },      // no snapshot covers entry 1
        { "4 5", 3, 1, "ok" },           // starts right after the snapshot
        { "3 4 5", 3, 1, "ok" },         // holds the snapshot's own entry
        { "5 6", 3, 1, "refused" },      // a gap between the snapshot and the log
        { "4 6", 3, 1, "refused" },      // a gap after the snapshot
    };

    [Theory]
    [MemberData(nameof(Recovery))]
    public void Recovery_RefusesAStoredLogThatIsNotContiguous(string indexes, long snapshotIndex, long snapshotTerm, string outcome)
    {
        var entries = indexes.Split(' ').Select(i => new Entry(long.Parse(i), 1, EntryType.Normal, [])).ToList();
        var snapshot = snapshotIndex == 0 ? null : new Snapshot(snapshotIndex, snapshotTerm, [], new Configuration(Nodes.Peers(3), []));
        var restored = new PersistedState(new HardState(1, null, 0), entries, snapshot);

        var recover = () => new RaftNode(Nodes.Config(), restored);

        if (outcome == "ok") Assert.Equal(entries[^1].Index, recover().LastIndex);
        else Assert.Throws<InvalidOperationException>(recover);
    }

    public static TheoryData<string, long, bool> AfterSnapshot => new()
    {
        // indexes:terms of the stored entries, the index up to which the node trusts them after its snapshot at 4
        // (term 2), whether the snapshot is handed out again so that the host clears the stale log first
        { "1:1 2:1 3:2 4:2", 4, false },      // the log ends with the snapshot's own entry: nothing after it, nothing stale
        { "1:1 2:1 3:2 4:2 5:2", 5, false },
        { "5:2 6:2", 6, false },              // starts right after the snapshot
        { "1:1 2:1 3:1 4:1 5:1", 4, true },   // holds (4, 1), not (4, 2): entry 5 followed another prefix
        { "1:1 2:1", 4, true },               // ends before the snapshot: the remains of the log it replaced
        { "", 4, false },
    };

    [Theory]
    [MemberData(nameof(AfterSnapshot))]
    public void Recovery_KeepsOnlyTheStoredLogThatContinuesTheSnapshot(string stored, long lastIndex, bool stale)
    {
        var entries = stored.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split(':')).Select(p => new Entry(long.Parse(p[0]), long.Parse(p[1]), EntryType.Normal, [])).ToList();
        var snapshot = new Snapshot(4, 2, [4], new Configuration(Nodes.Peers(3), []));

        var node = new RaftNode(Nodes.Config(), new PersistedState(new HardState(2, null, 0), entries, snapshot));

        Assert.Equal(lastIndex, node.LastIndex);
        Assert.Equal(stale, node.HasReady && node.GetReady().Snapshot == snapshot);
    }

    public static TheoryData<long, bool> Append => new()
    {
        // index of the entry appended to a log holding 1..3, whether it is taken
        { 4, true },
        { 5, false },
        { 3, false },
        { 1, false },
    };

    [Theory]
    [MemberData(nameof(Append))]
    public void Append_TakesOnlyTheEntryAfterTheLast(long index, bool taken)
    {
        var log = new RaftLog(Nodes.Log(1, 1, 1), 0, new Configuration(Nodes.Peers(3), []));

        var append = () => log.Append(new Entry(index, 1, EntryType.Normal, []));

        if (taken)
        {
            append();
            Assert.Equal(index, log.LastIndex);
        }
        else
        {
            Assert.Throws<InvalidOperationException>(append);
            Assert.Equal(3, log.LastIndex);
        }
    }
}
