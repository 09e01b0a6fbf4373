using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Tests.Paper;
using OrleansRaft.Core.Tests.Unit.Membership;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// Log compaction (§7): a snapshot covers only applied entries and only moves forward; compaction discards only
/// entries a snapshot covers, and compacting again to an index already discarded changes nothing. The configuration
/// in force at the compaction point becomes the log's base configuration.
/// </summary>
public sealed class CompactionRuleTests
{
    public static TheoryData<long, bool> Snapshots => new()
    {
        // a node with entries 1..5 applied takes a snapshot at 3 (not compacted yet), then asks for one at: index,
        // whether it is taken
        { 4, true },
        { 5, true },
        { 3, false },   // the current snapshot already covers it
        { 2, false },   // older than the current snapshot, although the log still holds it
        { 6, false },   // not applied (not even in the log)
    };

    [Theory]
    [MemberData(nameof(Snapshots))]
    public void CreateSnapshot_OnlyMovesForwardOverAppliedEntries(long index, bool taken)
    {
        var node = AppliedNode(1, 1, 1, 1, 1);
        node.CreateSnapshot(3, [3]);

        var create = () => node.CreateSnapshot(index, [9]);

        if (taken) Assert.Equal(index, create().Index);
        else
        {
            Assert.Throws<InvalidOperationException>(create);
            Assert.Equal(3, node.Snapshot!.Index);
        }
    }

    public static TheoryData<long, long> Compactions => new()
    {
        // with a snapshot at 4 and the log compacted through 3, compacting through: index, first index afterwards
        { 4, 5 },
        { 3, 4 },   // already discarded: nothing changes
        { 2, 4 },
        { 0, 4 },
        { 5, -1 },  // beyond the snapshot: refused
    };

    [Theory]
    [MemberData(nameof(Compactions))]
    public void Compact_DiscardsOnlyWhatASnapshotCoversAndNeverGoesBack(long through, long expectedFirst)
    {
        var node = AppliedNode(1, 1, 1, 1, 1);
        node.CreateSnapshot(4, [4]);
        node.Compact(3);

        if (expectedFirst < 0)
        {
            Assert.Throws<InvalidOperationException>(() => node.Compact(through));
            Assert.Equal(4, node.FirstIndex);
        }
        else
        {
            node.Compact(through);
            Assert.Equal(expectedFirst, node.FirstIndex);
            Assert.Equal(1, node.TermAt(expectedFirst - 1));
        }
    }

    /// <summary>The log itself refuses to discard an entry not applied yet, whoever asks.</summary>
    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void CompactTo_DiscardsOnlyAppliedEntries(long through, bool discarded)
    {
        var log = new RaftLog(Nodes.Log(1, 1, 1), 3, new Configuration(Nodes.Peers(3), [])) { Applying = 2, Applied = 2 };

        if (discarded)
        {
            log.CompactTo(through);
            Assert.Equal(through + 1, log.FirstIndex);
        }
        else
        {
            Assert.Throws<InvalidOperationException>(() => log.CompactTo(through));
            Assert.Equal(1, log.FirstIndex);
        }
    }

    public static TheoryData<long, long> ConfigurationBase => new()
    {
        // a log whose entry 2 adds learner 4; compacting through: index, configuration index afterwards
        { 1, 2 },   // the change entry is still held
        { 2, 0 },   // the change entry is discarded: its configuration is the base, no entry holds one
        { 3, 0 },
    };

    [Theory]
    [MemberData(nameof(ConfigurationBase))]
    public void Compact_MakesTheConfigurationInForceTheBase(long through, long expectedIndex)
    {
        var next = MembershipRuleKit.Conf("1 2 3", "4");
        var change = MembershipRuleKit.ChangeEntry(2, 1, MembershipRuleKit.Conf("1 2 3"), "add-learner 4");
        var node = new RaftNode(Nodes.Config(), new PersistedState(new HardState(1, null, 3),
            [new Entry(1, 1, EntryType.Normal, []), change, new Entry(3, 1, EntryType.Normal, [])]));
        Nodes.Flush(node);
        node.CreateSnapshot(3, [3]);

        node.Compact(through);

        Assert.Equal(expectedIndex, node.ConfigurationIndex);
        Assert.Equal(next, node.Configuration);
    }

    /// <summary>A follower of term 1 whose entries with these terms are committed and applied.</summary>
    private static RaftNode AppliedNode(params long[] terms)
    {
        var node = Nodes.Restored(Nodes.Config(), term: 1, vote: null, commit: terms.Length, terms);
        Nodes.Flush(node);
        return node;
    }
}
