using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// §5.3, the optimization the paper sketches ("the follower can include the term of the conflicting entry and the first
/// index it stores for that term"): a rejection carries ConflictTerm, the follower's term at PrevLogIndex (0 when its
/// log is shorter), and ConflictIndex, the first index it holds with that term (its last index + 1 when shorter). The
/// leader then skips to just after its own last entry of ConflictTerm at or below the rejected index, if it has one.
/// </summary>
public sealed class RejectionHintRuleTests
{
    public static TheoryData<string, long, long, long, long> Hints => new()
    {
        // follower's entries as index:term after its snapshot (at 0, or at 3 with term 2), append's prev index and
        // term, the hint: conflict term and index
        { "1:1 2:1 3:2 4:2 5:2 6:3", 5, 3, 2, 3 },   // the run of term 2 starts at 3
        { "1:1 2:2 3:2", 2, 1, 2, 2 },
        { "1:1 2:1 3:1", 5, 3, 0, 4 },               // shorter: skip to its end
        { "4:2 5:2", 5, 3, 2, 4 },                   // snapshot at 3 (term 2): the run starts at the first entry held
    };

    [Theory]
    [MemberData(nameof(Hints))]
    public void ARejectionNamesTheConflictingTermAndWhereItStarts(string entries, long prevIndex, long prevTerm,
        long conflictTerm, long conflictIndex)
    {
        var log = entries.Split(' ').Select(e => e.Split(':')).Select(p => new Entry(long.Parse(p[0]), long.Parse(p[1]), EntryType.Normal, [])).ToList();
        var snapshot = log[0].Index == 1 ? null : new Snapshot(3, 2, [], new Configuration(Nodes.Peers(3), []));
        var follower = new RaftNode(Nodes.Config("2"), new PersistedState(new HardState(3, null, 0), log, snapshot));
        Nodes.Flush(follower);

        follower.Step(new AppendEntries("1", "2", 3, prevIndex, prevTerm, [], 0));

        var reply = Assert.IsType<AppendEntriesReply>(Assert.Single(Nodes.Sent(follower)));
        Assert.Equal((false, conflictTerm, conflictIndex), (reply.Success, reply.ConflictTerm, reply.ConflictIndex));
    }

    public static TheoryData<long, long, long> LeaderLookups => new()
    {
        // in the leader's log of terms 1 1 2 2 3: the conflict term, the rejected index (at most), the last index of
        // that term at or below it (0: none, fall back to ConflictIndex)
        { 2, 5, 4 },
        { 2, 3, 3 },
        { 2, 9, 4 },   // bounded by the log too
        { 1, 5, 2 },
        { 3, 2, 0 },   // the term is there, but only above the rejected index
        { 4, 5, 0 },
    };

    [Theory]
    [MemberData(nameof(LeaderLookups))]
    public void TheLeaderSkipsToItsLastEntryOfTheConflictingTermAtOrBelowTheRejection(long term, long atMost, long expected)
    {
        var log = new RaftLog(Nodes.Log(1, 1, 2, 2, 3), 0, new Configuration(Nodes.Peers(3), []));

        Assert.Equal(expected, log.LastIndexOfTerm(term, atMost));
    }
}
