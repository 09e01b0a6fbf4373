using System.Diagnostics;
using OrleansRaft.Cli.Bench;

namespace OrleansRaft.Client.Tests.Bench;

public class BenchClockTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void A_timed_run_measures_after_the_warmup_and_stops_at_its_end()
    {
        var clock = new BenchClock(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), ops: null, now: 0);
        Assert.True(clock.TryBegin(Second / 2, out var measured));
        Assert.False(measured);
        Assert.False(clock.Counts(measured, Second / 2 + 1));
        Assert.True(clock.TryBegin(Second, out measured));
        Assert.True(measured);
        Assert.True(clock.Counts(measured, 2 * Second));
        Assert.False(clock.Counts(measured, 3 * Second + 1));   // completed after the end: not counted
        Assert.False(clock.TryBegin(3 * Second, out _));
        Assert.Equal(TimeSpan.FromSeconds(2), clock.Measured());
    }

    [Fact]
    public void An_ops_run_starts_exactly_its_budget_of_measured_operations()
    {
        var clock = new BenchClock(TimeSpan.Zero, duration: null, ops: 3, now: 0);
        var started = 0;
        while (clock.TryBegin(Second, out _)) started++;
        Assert.Equal(3, started);
        Assert.True(clock.Counts(true, 2 * Second));
        Assert.True(clock.Counts(true, 4 * Second));
        Assert.Equal(TimeSpan.FromSeconds(4), clock.Measured());   // up to the last counted completion
    }

    [Fact]
    public void Stopping_early_counts_only_what_completed_before()
    {
        var clock = new BenchClock(TimeSpan.Zero, TimeSpan.FromSeconds(10), ops: null, now: 0);
        clock.Stop(4 * Second);
        Assert.False(clock.TryBegin(Second, out _));
        Assert.True(clock.Counts(true, 3 * Second));
        Assert.False(clock.Counts(true, 5 * Second));
        Assert.Equal(TimeSpan.FromSeconds(4), clock.Measured());
    }
}
