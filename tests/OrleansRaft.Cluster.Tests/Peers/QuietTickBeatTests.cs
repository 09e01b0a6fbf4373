using OrleansRaft.Grains.Peers;

namespace OrleansRaft.Cluster.Tests.Peers;

/// <summary>Quiet peers tick on one beat (multiples of the quiet period), whenever each went quiet.</summary>
public sealed class QuietTickBeatTests
{
    [Theory]
    [InlineData(0, 5000)]
    [InlineData(1, 4999)]
    [InlineData(12_345, 2_655)]
    [InlineData(4_999, 1)]
    [InlineData(10_000, 5000)]
    public void The_first_quiet_tick_is_due_at_the_next_multiple_of_the_period(long nowMs, long expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RaftPeerGrain.UntilNextQuietTick(nowMs, TimeSpan.FromSeconds(5)));

    [Fact]
    public void Peers_that_go_quiet_at_different_moments_tick_together()
    {
        var period = TimeSpan.FromSeconds(5);
        var firings = new[] { 100_001L, 101_700, 104_999 }
            .Select(now => now + (long)RaftPeerGrain.UntilNextQuietTick(now, period).TotalMilliseconds)
            .Distinct();
        Assert.Equal([105_000L], firings);
    }

    [Fact]
    public void A_period_under_a_millisecond_still_gives_a_positive_due_time() =>
        Assert.True(RaftPeerGrain.UntilNextQuietTick(123, TimeSpan.FromTicks(10)) > TimeSpan.Zero);
}
