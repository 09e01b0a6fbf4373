using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Membership;

/// <summary>The configuration is a function of the log prefix: a restart rebuilds it from the snapshot and the
/// change entries after it (committed or not), compaction folds it into the snapshot, and truncating an uncommitted
/// change puts the previous configuration back in force.</summary>
public sealed class ConfigurationRestartTests
{
    private static readonly Configuration Bootstrap = Conf("1 2 3");

    /// <summary>A log of term 1: entry kinds as text, "n" a normal entry, anything else a change
    /// ("add-learner 4"), each change applied to the configuration before it.</summary>
    private static List<Entry> Log(params string[] entries)
    {
        var log = new List<Entry>();
        var configuration = Bootstrap;
        foreach (var text in entries)
        {
            var index = log.Count + 1;
            if (text == "n")
            {
                log.Add(new Entry(index, 1, EntryType.Normal, []));
                continue;
            }
            var entry = ChangeEntry(index, 1, configuration, text);
            configuration = ConfigChangeCodec.Decode(entry.Data).Result;
            log.Add(entry);
        }
        return log;
    }

    public static TheoryData<string, long, string, string, long> FromLog => new()
    {
        // entries (';'-separated), commit index, voters and learners in force after restart, configuration index.
        { "n;n", 2, "1 2 3", "", 0 },
        { "n;add-learner 4", 2, "1 2 3", "4", 2 },
        { "n;add-learner 4", 1, "1 2 3", "4", 2 },             // uncommitted: in force all the same
        { "add-learner 4;n;promote 4", 3, "1 2 3 4", "", 3 },
        { "add-learner 4;promote 4;n;remove 1", 2, "2 3 4", "", 4 },
        { "remove 3;n;n", 3, "1 2", "", 1 },
        { "add-learner 4;remove 4", 2, "1 2 3", "", 2 },
    };

    [Theory]
    [MemberData(nameof(FromLog))]
    public void ARestartRebuildsTheConfigurationFromTheLog(string entries, long commit, string voters, string learners, long index)
    {
        var log = Log(entries.Split(';'));

        var node = new RaftNode(Config("1", Bootstrap), new PersistedState(new HardState(1, null, commit), log));

        Assert.Equal(Conf(voters, learners), node.Configuration);
        Assert.Equal(index, node.ConfigurationIndex);
    }

    public static TheoryData<string, long, string, string> FromSnapshot => new()
    {
        // entries, snapshot index (the entries up to it compacted away), voters and learners in force after restart.
        { "n;add-learner 4;n", 3, "1 2 3", "4" },
        { "n;add-learner 4;n", 1, "1 2 3", "4" },              // the change is in the log after the snapshot
        { "add-learner 4;promote 4;n;remove 2", 3, "1 3 4", "" }, // snapshot voters 1-4, then an entry removes 2
        { "add-learner 4;promote 4;n;remove 2", 4, "1 3 4", "" },
    };

    [Theory]
    [MemberData(nameof(FromSnapshot))]
    public void ARestartRebuildsTheConfigurationFromASnapshotAndTheEntriesAfterIt(string entries, long snapshotIndex, string voters, string learners)
    {
        var log = Log(entries.Split(';'));
        var node = new RaftNode(Config("1", Bootstrap), new PersistedState(new HardState(1, null, log.Count), log));
        Nodes.Flush(node); // applies everything
        var snapshot = node.CreateSnapshot(snapshotIndex, [7]);
        node.Compact(snapshotIndex);
        var expected = Conf(voters, learners);
        Assert.Equal(expected, node.Configuration);

        var restarted = new RaftNode(Config("1", Bootstrap),
            new PersistedState(new HardState(1, null, log.Count), log.Skip((int)snapshotIndex).ToList(), snapshot));

        Assert.Equal(expected, restarted.Configuration);
        Assert.Equal(Log(entries.Split(';')).Take((int)snapshotIndex).Aggregate(Bootstrap, (c, e) =>
            e.Type == EntryType.ConfigChange ? ConfigChangeCodec.Decode(e.Data).Result : c), snapshot.Configuration);
    }

    /// <summary>The snapshot carries the configuration at its own index, not the latest one: the entries after it
    /// may still be truncated.</summary>
    [Fact]
    public void ASnapshotHoldsTheConfigurationAtItsIndex()
    {
        var log = Log("n", "add-learner 4", "n", "promote 4");
        var node = new RaftNode(Config("1", Bootstrap), new PersistedState(new HardState(1, null, 4), log));
        Nodes.Flush(node);

        Assert.Equal(Bootstrap, node.CreateSnapshot(1, []).Configuration);
        Assert.Equal(Conf("1 2 3", "4"), node.CreateSnapshot(3, []).Configuration);
        Assert.Equal(Conf("1 2 3 4"), node.CreateSnapshot(4, []).Configuration);
    }

    /// <summary>A snapshot installed from a leader brings its configuration along, replacing the bootstrap one.</summary>
    [Fact]
    public void AnInstalledSnapshotBringsItsConfiguration()
    {
        var node = new RaftNode(Config("5", Bootstrap));
        var configuration = Conf("1 2 3", "5");

        node.Step(new InstallSnapshot("1", "5", 3, 10, 2, 0, [1, 2], true, configuration));
        var ready = Nodes.Flush(node).Single(r => r.Snapshot is not null);

        Assert.Equal(configuration, node.Configuration);
        Assert.Equal(configuration, ready.Snapshot!.Configuration);
        var restarted = new RaftNode(Config("5", Bootstrap), new PersistedState(new HardState(3, null, 10), [], ready.Snapshot));
        Assert.Equal(configuration, restarted.Configuration);
    }

    /// <summary>A snapshot written before membership changes existed carries no configuration: the bootstrap one.</summary>
    [Fact]
    public void ASnapshotWithoutConfigurationMeansTheBootstrapOne()
    {
        var node = new RaftNode(Config("1", Bootstrap), new PersistedState(new HardState(1, null, 5), [], new Snapshot(5, 1, [])));

        Assert.Equal(Bootstrap, node.Configuration);
    }

    public static TheoryData<string, string, string> Truncations => new()
    {
        // follower's log (term 1, nothing committed), what the term-2 leader's entries replace from index 2 on, in force after.
        { "n;add-learner 4", "n", "1 2 3" },
        { "n;remove 3", "n", "1 2 3" },
        { "add-learner 4;promote 4", "n", "1 2 3/4" },
        { "add-learner 4;promote 4", "remove 4", "1 2 3" },
        { "n;add-learner 4;remove 4", "n", "1 2 3" },
    };

    /// <summary>§5.3 truncation: the conflicting suffix goes, and the configurations it held go with it.</summary>
    [Theory]
    [MemberData(nameof(Truncations))]
    public void TruncatingAnUncommittedChangeRestoresThePreviousConfiguration(string followerLog, string leaderEntry, string expected)
    {
        var log = Log(followerLog.Split(';'));
        var follower = new RaftNode(Config("2", Bootstrap), new PersistedState(new HardState(1, null, 0), log));
        var previous = log[0].Type == EntryType.ConfigChange ? ConfigChangeCodec.Decode(log[0].Data).Result : Bootstrap;
        var replacement = leaderEntry == "n"
            ? new Entry(2, 2, EntryType.Normal, [])
            : ChangeEntry(2, 2, previous, leaderEntry);

        follower.Step(new AppendEntries("1", "2", 2, 1, 1, [replacement], 0));
        Nodes.Flush(follower);

        var parts = expected.Split('/');
        Assert.Equal(Conf(parts[0], parts.Length > 1 ? parts[1] : ""), follower.Configuration);
        Assert.Equal(2, follower.LastIndex);
        // And a restart from what it persisted agrees.
        var restarted = new RaftNode(Config("2", Bootstrap), new PersistedState(new HardState(2, null, 0), [log[0], replacement]));
        Assert.Equal(follower.Configuration, restarted.Configuration);
    }
}
