using OrleansRaft.Core.Tracking;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// The in-flight window of a replicating follower (etcd's <c>inflights</c>): at most its capacity of appends are
/// outstanding, they are freed oldest first up to the acknowledged index, and the ring wraps around. The leader
/// never adds to a full window (it checks <c>IsPaused</c> first); the window refuses it anyway.
/// </summary>
public sealed class InflightWindowRuleTests
{
    public static TheoryData<string, int, bool> Sequences => new()
    {
        // operations ("+i" adds an append ending at i, "-i" frees up to i) on a window of 2, count afterwards, full
        { "+3 +5", 2, true },
        { "+3 +5 -3", 1, false },
        { "+3 +5 -4", 1, false },
        { "+3 +5 -5", 0, false },
        { "+3 +5 -2", 2, true },
        { "+3 +5 -3 +7 -5 +9", 2, true },   // wraps around the ring
        { "+3 +5 -3 +7 -5 +9 -8", 1, false },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void TheWindowHoldsAtMostItsCapacityAndFreesOldestFirst(string operations, int count, bool full)
    {
        var window = new Inflights(2);
        foreach (var op in operations.Split(' '))
        {
            var index = long.Parse(op[1..]);
            if (op[0] == '+') window.Add(index);
            else window.FreeLE(index);
        }

        Assert.Equal((count, full), (window.Count, window.Full));
        if (full) Assert.Throws<InvalidOperationException>(() => window.Add(100));
        Assert.Equal(count, window.Count);
    }
}
