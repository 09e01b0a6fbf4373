using System.Diagnostics;
using OrleansRaft.Cli.Bench;

namespace OrleansRaft.Client.Tests.Bench;

public class FailoverProbeTests
{
    private static readonly long Ms = Stopwatch.Frequency / 1000;
    private static readonly BenchError Timeout = new("Timeout", OutcomeUnknown: true);
    private static readonly BenchError Unavailable = new("Unavailable", OutcomeUnknown: false);

    [Fact]
    public void Writes_resume_at_the_first_success_of_a_write_started_after_the_kill()
    {
        var probe = new FailoverProbe();
        probe.OnWrite(0, 10 * Ms, null);                 // before the kill: ignored
        probe.MarkKill(100 * Ms);
        probe.OnWrite(90 * Ms, 101 * Ms, null);          // started before the kill: proves nothing
        probe.OnWrite(200 * Ms, 1_500 * Ms, null);
        probe.OnWrite(300 * Ms, 1_200 * Ms, null);       // the earliest completion wins
        Assert.Equal(TimeSpan.FromMilliseconds(1_100), probe.ResumedAfter());
    }

    [Fact]
    public void Only_failures_in_flight_between_the_kill_and_the_resumption_count()
    {
        var probe = new FailoverProbe();
        probe.OnWrite(0, 50 * Ms, Timeout);               // before the kill
        probe.MarkKill(100 * Ms);
        probe.OnWrite(90 * Ms, 600 * Ms, Timeout);        // in flight at the kill
        probe.OnWrite(150 * Ms, 700 * Ms, Unavailable);
        probe.OnWrite(500 * Ms, 900 * Ms, null);          // writes resume at 900 ms
        probe.OnWrite(950 * Ms, 2_000 * Ms, Timeout);     // started after the resumption
        Assert.Equal((1L, 1L), probe.FailuresInWindow());
    }

    [Fact]
    public void No_resumption_without_a_later_success()
    {
        var probe = new FailoverProbe();
        probe.MarkKill(100 * Ms);
        probe.OnWrite(150 * Ms, 700 * Ms, Timeout);
        Assert.Null(probe.ResumedAfter());
        Assert.Equal((1L, 0L), probe.FailuresInWindow());
    }
}
