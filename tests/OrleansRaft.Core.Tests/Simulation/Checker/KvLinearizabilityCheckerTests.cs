using OrleansRaft.Testing.Linearizability;
using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.Core.Tests.Simulation.Checker;

/// <summary>The checker must accept every linearizable history and reject the classic anomalies.</summary>
public class KvLinearizabilityCheckerTests
{
    [Fact]
    public void EmptyHistoryIsLinearizable() => Assert.True(new HistoryBuilder().Check().IsLinearizable);

    [Fact]
    public void SequentialHistoryIsLinearizable()
    {
        var result = new HistoryBuilder()
            .Set(1, "x", "a", 0, 1)
            .Append(1, "x", "b", 2, 3)
            .Get(2, "x", "ab", 4, 5)
            .Cas(2, "x", "ab", "c", true, 6, 7)
            .Cas(1, "x", "ab", "d", false, 8, 9)
            .Get(1, "x", "c", 10, 11)
            .Check();
        Assert.True(result.IsLinearizable, result.ToString());
    }

    [Fact]
    public void ConcurrentWritesMayTakeEffectInEitherOrder()
    {
        // Two overlapping sets; readers overlapping both may see either, and the later reads agree.
        var result = new HistoryBuilder()
            .Set(1, "x", "1", 0, 10)
            .Set(2, "x", "2", 1, 9)
            .Get(3, "x", "1", 2, 8)
            .Get(4, "x", "2", 11, 12)
            .Check();
        Assert.True(result.IsLinearizable, result.ToString());
    }

    [Fact]
    public void ReadOverlappingAWriteMaySeeOldOrNewValue()
    {
        var result = new HistoryBuilder()
            .Set(1, "x", "old", 0, 1)
            .Set(1, "x", "new", 2, 10)
            .Get(2, "x", "old", 3, 4)
            .Get(3, "x", "new", 5, 6)
            .Get(2, "x", "new", 7, 8)
            .Check();
        Assert.True(result.IsLinearizable, result.ToString());
    }

    [Fact]
    public void StaleReadIsRejected()
    {
        // The write returned before the read began: the read must see it (a read served by a deposed leader).
        var result = new HistoryBuilder()
            .Set(1, "x", "a", 0, 1)
            .Set(1, "x", "b", 2, 3)
            .Get(2, "x", "a", 4, 5)
            .Check();
        Assert.Equal(CheckOutcome.NotLinearizable, result.Outcome);
        Assert.Equal("x", result.Partition);
    }

    [Fact]
    public void ReadsGoingBackInTimeAreRejected()
    {
        // Each read alone could be linearized, but not the new value followed by the old one.
        var result = new HistoryBuilder()
            .Set(1, "x", "a", 0, 1)
            .Set(1, "x", "b", 2, 20)
            .Get(2, "x", "b", 3, 4)
            .Get(3, "x", "a", 5, 6)
            .Check();
        Assert.Equal(CheckOutcome.NotLinearizable, result.Outcome);
    }

    [Fact]
    public void LostWriteIsRejected()
    {
        var result = new HistoryBuilder()
            .Append(1, "x", "a", 0, 2)
            .Append(2, "x", "b", 1, 3)
            .Get(3, "x", "b", 4, 5)
            .Check();
        Assert.Equal(CheckOutcome.NotLinearizable, result.Outcome);
    }

    [Fact]
    public void DoubledAppendIsRejected()
    {
        // A retried append applied twice: the client saw one success, the store holds it twice.
        var result = new HistoryBuilder()
            .Append(1, "x", "a", 0, 5)
            .Get(2, "x", "aa", 6, 7)
            .Check();
        Assert.Equal(CheckOutcome.NotLinearizable, result.Outcome);
    }

    [Fact]
    public void ReadOfAValueNeverWrittenIsRejected() =>
        Assert.False(new HistoryBuilder().Get(1, "x", "ghost", 0, 1).Check().IsLinearizable);

    [Fact]
    public void ReadOfAWriteInvokedLaterIsRejected()
    {
        var result = new HistoryBuilder()
            .Get(1, "x", "a", 0, 1)
            .Set(2, "x", "a", 2, 3)
            .Check();
        Assert.False(result.IsLinearizable);
    }

    [Fact]
    public void ConcurrentCasOnlyOneMayWin()
    {
        var bothWin = new HistoryBuilder()
            .Cas(1, "lock", null, "c1", true, 0, 10)
            .Cas(2, "lock", null, "c2", true, 1, 11)
            .Check();
        Assert.False(bothWin.IsLinearizable);

        var oneWins = new HistoryBuilder()
            .Cas(1, "lock", null, "c1", false, 0, 10)
            .Cas(2, "lock", null, "c2", true, 1, 11)
            .Get(3, "lock", "c2", 12, 13)
            .Check();
        Assert.True(oneWins.IsLinearizable, oneWins.ToString());
    }

    [Fact]
    public void UnknownOutcomeMayOrMayNotTakeEffect()
    {
        var tookEffect = new HistoryBuilder()
            .Unknown(1, KvInput.Append("x", "a"), 0)
            .Get(2, "x", "a", 5, 6)
            .Get(2, "x", "a", 7, 8);
        Assert.True(tookEffect.Check().IsLinearizable);

        var didNot = new HistoryBuilder()
            .Unknown(1, KvInput.Append("x", "a"), 0)
            .Get(2, "x", null, 5, 6);
        Assert.True(didNot.Check().IsLinearizable);

        // ... but once seen it cannot be undone, and it cannot take effect twice.
        var undone = new HistoryBuilder()
            .Unknown(1, KvInput.Append("x", "a"), 0)
            .Get(2, "x", "a", 5, 6)
            .Get(2, "x", null, 7, 8);
        Assert.False(undone.Check().IsLinearizable);
        var twice = new HistoryBuilder()
            .Unknown(1, KvInput.Append("x", "a"), 0)
            .Get(2, "x", "aa", 5, 6);
        Assert.False(twice.Check().IsLinearizable);
    }

    [Fact]
    public void ExpiredUnknownOperationMayStillHaveHadNoEffect()
    {
        // The client abandoned the append; its session moved on at time 10. Both outcomes remain possible...
        var none = new HistoryBuilder()
            .Unknown(1, KvInput.Append("x", "a"), 0, expired: 10)
            .Get(2, "x", null, 20, 21);
        Assert.True(none.Check().IsLinearizable, none.Check().ToString());
        var some = new HistoryBuilder()
            .Unknown(1, KvInput.Append("x", "a"), 0, expired: 10)
            .Get(2, "x", "a", 20, 21);
        Assert.True(some.Check().IsLinearizable);

        // ... but it cannot take effect after it expired.
        var late = new HistoryBuilder()
            .Unknown(1, KvInput.Append("x", "a"), 0, expired: 10)
            .Get(2, "x", null, 12, 13)
            .Get(2, "x", "a", 20, 21);
        Assert.False(late.Check().IsLinearizable);
    }

    [Fact]
    public void UnknownOperationCannotTakeEffectBeforeItsCall()
    {
        var result = new HistoryBuilder()
            .Get(2, "x", "a", 0, 1)
            .Unknown(1, KvInput.Set("x", "a"), 5)
            .Check();
        Assert.False(result.IsLinearizable);
    }

    [Fact]
    public void KeysArePartitionedIndependently()
    {
        var result = new HistoryBuilder()
            .Set(1, "x", "1", 0, 1)
            .Set(1, "y", "2", 2, 3)
            .Get(2, "x", "1", 4, 5)
            .Get(2, "y", null, 6, 7)
            .Check();
        Assert.Equal(CheckOutcome.NotLinearizable, result.Outcome);
        Assert.Equal("y", result.Partition);
        Assert.Contains("get(y) -> absent", result.Explanation);
        Assert.Contains("State then: \"2\"", result.Explanation);
    }

    [Fact]
    public void EqualTimestampsCountAsConcurrent()
    {
        // A return and a call at the same instant may be ordered either way.
        var result = new HistoryBuilder()
            .Set(1, "x", "a", 0, 5)
            .Get(2, "x", null, 5, 6)
            .Check();
        Assert.True(result.IsLinearizable, result.ToString());
    }

    [Fact]
    public void ReturnBeforeCallIsRejectedAsMalformed() =>
        Assert.Throws<ArgumentException>(() => new HistoryBuilder().Set(1, "x", "a", 5, 4).Check());
}
