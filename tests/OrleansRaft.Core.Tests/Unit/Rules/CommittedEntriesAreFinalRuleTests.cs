using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// State Machine Safety (Figure 3, §5.4.3): once an entry is committed, no other entry is ever applied at its index.
/// The log enforces its half itself, whatever its caller does: it never truncates or overwrites an entry at or below
/// the commit index, and it never marks committed an index it does not hold. The callers keep away from both (a
/// follower answers an append below its commit index without touching its log; every commit index passed in is
/// bounded by the log), so these are the log's own checks, tested on <see cref="RaftLog"/> directly.
/// </summary>
public sealed class CommittedEntriesAreFinalRuleTests
{
    public static TheoryData<long, long, string, string> Overwrite => new()
    {
        // commit index of a log of terms 1 1 1, prev index, terms of the entries after it, outcome: the log's terms
        // afterwards, or "refused"
        { 1, 1, "2 2", "1 2 2" },      // the conflict is above the commit index: truncate and append
        { 2, 2, "2", "1 1 2" },
        { 2, 1, "2 2", "refused" },    // the conflict is the committed entry 2
        { 3, 2, "2", "refused" },
        { 2, 1, "1 2", "1 1 2" },      // entry 2 matches and is skipped; the conflict is at 3, above the commit index
        { 3, 0, "1 1 1 2", "1 1 1 2" }, // everything committed matches: only new entries are appended
    };

    [Theory]
    [MemberData(nameof(Overwrite))]
    public void AppendAfter_NeverReplacesACommittedEntry(long commit, long prevIndex, string newTerms, string outcome)
    {
        var log = new RaftLog(Nodes.Log(1, 1, 1), commit, new Configuration(Nodes.Peers(3), []));
        var entries = newTerms.Split(' ').Select((t, i) => new Entry(prevIndex + 1 + i, long.Parse(t), EntryType.Normal, [])).ToList();

        Action append = () => log.AppendAfter(prevIndex, entries, keepConflictingSuffix: false);

        if (outcome == "refused")
        {
            Assert.Throws<InvalidOperationException>(append);
            Assert.Equal([1, 1, 1], Terms(log));
        }
        else
        {
            append();
            Assert.Equal(outcome.Split(' ').Select(long.Parse), Terms(log));
        }
    }

    public static TheoryData<long, long> Commit => new()
    {
        // index passed to CommitTo on a log of 3 entries committed at 1, commit index afterwards (-1: refused)
        { 0, 1 },   // never backwards
        { 1, 1 },
        { 3, 3 },
        { 4, -1 },  // beyond the last entry
    };

    [Theory]
    [MemberData(nameof(Commit))]
    public void CommitTo_NeverPassesTheLastEntry(long index, long expected)
    {
        var log = new RaftLog(Nodes.Log(1, 1, 1), 1, new Configuration(Nodes.Peers(3), []));

        if (expected < 0)
        {
            Assert.Throws<InvalidOperationException>(() => log.CommitTo(index));
            Assert.Equal(1, log.Committed);
        }
        else
        {
            log.CommitTo(index);
            Assert.Equal(expected, log.Committed);
        }
    }

    private static long[] Terms(RaftLog log) => [.. Enumerable.Range(1, (int)log.LastIndex).Select(i => log.TermAt(i))];
}
