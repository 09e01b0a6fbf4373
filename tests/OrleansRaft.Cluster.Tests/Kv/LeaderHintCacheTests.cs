using OrleansRaft.Grains.Kv;

namespace OrleansRaft.Cluster.Tests.Kv;

/// <summary>The silo-wide leader hint: what local peers report wakes facades waiting on a leader that is gone.</summary>
public class LeaderHintCacheTests
{
    [Fact]
    public void A_leader_of_a_newer_term_becomes_the_hint_and_wakes_waiters()
    {
        var hints = new LeaderHintCache();
        hints.Observe("kv", "kv/0", term: 1);
        var change = hints.NextLeaderChange("kv");
        Assert.False(change.IsCompleted);

        hints.Observe("kv", "kv/2", term: 2);

        Assert.True(change.IsCompletedSuccessfully);
        Assert.Equal("kv/2", hints.Get("kv"));
        Assert.False(hints.NextLeaderChange("kv").IsCompleted);
    }

    [Fact]
    public void News_of_an_older_or_the_same_term_changes_nothing()
    {
        var hints = new LeaderHintCache();
        hints.Observe("kv", "kv/1", term: 5);
        var change = hints.NextLeaderChange("kv");

        hints.Observe("kv", "kv/0", term: 4);
        hints.Observe("kv", "kv/1", term: 5);

        Assert.False(change.IsCompleted);
        Assert.Equal("kv/1", hints.Get("kv"));
    }

    [Fact]
    public void Groups_are_independent()
    {
        var hints = new LeaderHintCache();
        var other = hints.NextLeaderChange("other");
        hints.Observe("kv", "kv/1", term: 1);
        Assert.False(other.IsCompleted);
        Assert.Null(hints.Get("other"));
    }
}
