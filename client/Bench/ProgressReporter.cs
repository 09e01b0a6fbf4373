using System.Diagnostics;
using System.Globalization;

namespace OrleansRaft.Cli.Bench;

/// <summary>
/// The live line on standard error, about once a second: phase, elapsed time, the rate over the last second, the
/// average rate of the measurement so far, errors, and the leader. On a terminal it rewrites one line; redirected,
/// it writes one line per second so a log keeps the history.
/// </summary>
internal sealed class ProgressReporter(IReadOnlyList<WorkerRecorder> recorders, BenchClock clock, LeaderWatcher leaders, TextWriter stderr, bool live)
{
    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long lastOps = 0;
        var lastAt = clock.RunStart;
        var wrote = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                long ops = 0, errors = 0, measured = 0;
                foreach (var r in recorders)
                {
                    ops += r.Succeeded;
                    errors += r.Failed;
                    measured += r.Measured;
                }
                var line = Format(clock.SecondsSinceStart(now), (ops - lastOps) / Stopwatch.GetElapsedTime(lastAt, now).TotalSeconds, measured, errors, leaders.Current);
                (lastOps, lastAt) = (ops, now);
                await stderr.WriteAsync(live ? "\r" + line.PadRight(100) : line + Environment.NewLine).ConfigureAwait(false);
                await stderr.FlushAsync(stop).ConfigureAwait(false);
                wrote = true;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        if (live && wrote) await stderr.WriteAsync(Environment.NewLine).ConfigureAwait(false);
    }

    /// <summary>One progress line. <paramref name="secondsIntoMeasurement"/> is negative during the warmup.</summary>
    internal static string Format(double secondsIntoMeasurement, double recentOpsPerSecond, long measuredOps, long errors, LeaderView? leader)
    {
        var inv = CultureInfo.InvariantCulture;
        var phase = secondsIntoMeasurement < 0
            ? string.Create(inv, $"warmup {-secondsIntoMeasurement,4:0}s left")
            : string.Create(inv, $"{secondsIntoMeasurement,6:0.0}s");
        var average = secondsIntoMeasurement > 0 ? measuredOps / secondsIntoMeasurement : 0;
        var who = leader is null ? "leader ?" : string.Create(inv, $"leader {leader.Leader} term {leader.Term}");
        return string.Create(inv, $"[bench] {phase}  {recentOpsPerSecond,9:0} ops/s now  {average,9:0} ops/s avg  {errors} errors  {who}");
    }
}
