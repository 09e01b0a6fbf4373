using OrleansRaft.Core.Tracking;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// A leader's view of one follower (Figure 2, matchIndex and nextIndex; etcd's progress_test.go). Invariant:
/// <c>0 &lt;= Match &lt; Next</c>. An acknowledgement raises Match only if it is news, and Next with it past the
/// acknowledged index; going back to probing never sets Next at or below what is known to match.
/// </summary>
public sealed class ProgressRuleTests
{
    public static TheoryData<long, bool, long, long> Updates => new()
    {
        // acknowledged index for a follower at Match 3, Next 5: whether it is news, Match and Next afterwards
        { 2, false, 3, 5 },
        { 3, false, 3, 5 },   // a duplicate
        { 4, true, 4, 5 },
        { 5, true, 5, 6 },    // past Next - 1 (the follower's commit index answering an append below it)
        { 8, true, 8, 9 },
    };

    [Theory]
    [MemberData(nameof(Updates))]
    public void MaybeUpdate_RaisesMatchOnlyOnNewsAndNextPastIt(long index, bool news, long match, long next)
    {
        var progress = new Progress(1, 4);
        progress.MaybeUpdate(3);
        progress.Next = 5;

        Assert.Equal(news, progress.MaybeUpdate(index));
        Assert.Equal((match, next), (progress.Match, progress.Next));
    }

    public static TheoryData<long, long> Probes => new()
    {
        // Next asked for by a rejection's hint, for a follower at Match 5: Next afterwards
        { 9, 9 },
        { 7, 7 },
        { 6, 6 },
        { 5, 6 },   // at or below Match: Match + 1, the first index not known to match
        { 2, 6 },
    };

    [Theory]
    [MemberData(nameof(Probes))]
    public void BecomeProbe_NeverSetsNextAtOrBelowMatch(long hint, long next)
    {
        var progress = new Progress(1, 4);
        progress.MaybeUpdate(5);

        progress.BecomeProbe(hint);

        Assert.Equal((ProgressState.Probe, 5L, next), (progress.State, progress.Match, progress.Next));
    }
}
