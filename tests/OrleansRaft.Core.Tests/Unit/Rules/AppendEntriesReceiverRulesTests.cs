using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// Figure 2, AppendEntries RPC, receiver implementation, one table per rule (etcd raft_test.go style). Rules 1 to 4
/// have their tables in <c>PaperTests.Section5_1</c> and <c>Section5_3</c>; this file pins rule 5, which no other test
/// did: a follower that commits past the last entry this append verified passed every core test and the sweep.
/// </summary>
public sealed class AppendEntriesReceiverRulesTests
{
    public static TheoryData<string, long, long, long, string, long, long, long> Rule5 => new()
    {
        // follower log terms, its commit, prev index, prev term, new entry terms (from prev + 1), leaderCommit,
        // expected commit, expected reply index. The follower is at term 2; entries of term 1 past its commit are
        // an old leader's uncommitted suffix that the leader of term 2 may not hold.
        { "1 1 1", 1, 1, 1, "", 3, 1, 1 },        // only entry 1 is verified: 2 and 3 may differ from the leader's
        { "1 1 1", 1, 1, 1, "1", 3, 2, 2 },       // entry 2 arrives and matches: the last new entry is 2, not 3
        { "1 1 1", 1, 2, 1, "", 3, 2, 2 },        // a heartbeat-like append verifies through 2 only
        { "1 1 1", 1, 3, 1, "", 3, 3, 3 },        // the whole log is verified
        { "1 1 1", 1, 1, 1, "1 1", 5, 3, 3 },     // leaderCommit beyond what was sent: the last new entry bounds it
        { "1 1 1", 1, 1, 1, "2", 3, 2, 2 },       // a conflict at 2 truncates the suffix; commit stops at the new entry
        { "1 1 1", 1, 3, 1, "2", 2, 2, 4 },       // leaderCommit below the last new entry bounds it
        { "1 1 1", 2, 2, 1, "", 1, 2, 2 },        // a lower leaderCommit never moves the commit index back
        { "1 1 1 1", 1, 1, 1, "1 1", 4, 3, 3 },   // a leader whose batch was split: the first part commits only itself
        { "1 1 1 1", 3, 1, 1, "1", 4, 3, 3 },     // below the commit index the reply vouches for the commit index
    };

    /// <summary>Rule 5: "If leaderCommit &gt; commitIndex, set commitIndex = min(leaderCommit, index of last new entry)".
    /// Entries past the last one the append verified may be a stale suffix: committing them would apply entries the
    /// leader never had.</summary>
    [Theory]
    [MemberData(nameof(Rule5))]
    public void Rule5_FollowerCommitsAtMostTheLastNewEntry(string terms, long commit, long prevIndex, long prevTerm,
        string newTerms, long leaderCommit, long expectedCommit, long expectedReply)
    {
        var follower = Nodes.Restored(Nodes.Config("2"), term: 2, vote: null, commit: commit, ParseTerms(terms));
        var entries = ParseTerms(newTerms).Select((t, i) => new Entry(prevIndex + 1 + i, t, EntryType.Normal, [])).ToList();

        follower.Step(new AppendEntries("1", "2", 2, prevIndex, prevTerm, entries, leaderCommit));

        Assert.Equal(expectedCommit, follower.CommitIndex);
        var readies = Nodes.Flush(follower);
        var reply = Assert.IsType<AppendEntriesReply>(Assert.Single(readies.SelectMany(r => r.Messages)));
        Assert.Equal((true, expectedReply), (reply.Success, reply.Index));
        // What the follower applies is exactly what it committed, and it says so durably.
        Assert.Equal(expectedCommit, follower.AppliedIndex);
        Assert.Equal(expectedCommit, readies.Select(r => r.HardState?.Commit ?? commit).Max());
    }

    public static TheoryData<string, long, long, long> HeartbeatCommit => new()
    {
        // follower log terms, its commit, heartbeat commit, expected commit. A heartbeat verifies nothing: the leader
        // sends min(match, commit), and the follower bounds it by what it holds.
        { "1 1 1", 1, 2, 2 },
        { "1 1 1", 1, 5, 3 },
        { "1 1 1", 2, 1, 2 },
    };

    /// <summary>The heartbeat's side of rule 5: its commit is the leader's min(match, commit), never beyond the receiver's
    /// log, and it never moves the commit index back.</summary>
    [Theory]
    [MemberData(nameof(HeartbeatCommit))]
    public void Rule5_HeartbeatCommitIsBoundedByTheLog(string terms, long commit, long heartbeatCommit, long expected)
    {
        var follower = Nodes.Restored(Nodes.Config("2"), term: 2, vote: null, commit: commit, ParseTerms(terms));

        follower.Step(new Heartbeat("1", "2", 2, heartbeatCommit, 0));

        Assert.Equal(expected, follower.CommitIndex);
        Assert.IsType<HeartbeatReply>(Assert.Single(Nodes.Sent(follower)));
    }

    private static long[] ParseTerms(string terms) =>
        [.. terms.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse)];
}
