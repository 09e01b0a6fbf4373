using System.Diagnostics;

namespace OrleansRaft.Cli.Bench;

/// <summary>
/// <c>--kill-leader-after</c>: at the given time into the measurement, asks who leads, maps the leader's member
/// index to a process id of <c>--pids</c> (silo N hosts silo port 11111 + N; etcd members are in endpoint order)
/// and SIGKILLs that process, marking the moment on the <see cref="FailoverProbe"/>.
/// </summary>
internal static class LeaderKiller
{
    private static readonly TimeSpan FindLeaderFor = TimeSpan.FromSeconds(3);

    public static async Task<FailoverSummary> RunAsync(
        IBenchTarget target, BenchClock clock, TimeSpan after, IReadOnlyList<int> pids, FailoverProbe probe, CancellationToken stop)
    {
        var due = clock.MeasureStart + BenchClock.Ticks(after);
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, stop).ConfigureAwait(false);

        var leader = await FindLeaderAsync(target, stop).ConfigureAwait(false);
        if (leader is null) return Problem(clock, null, "no leader found to kill");
        if (leader.MemberIndex is not { } index || index >= pids.Count)
            return Problem(clock, leader, $"the leader's member index ({leader.MemberIndex?.ToString() ?? "unknown"}) has no process id in --pids");
        var pid = pids[index];
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();   // SIGKILL on Unix: no goodbye to the cluster, as in a crash
            // Marked once the signal is sent, not before: on a loaded machine this thread can be descheduled
            // between the two, and writes started in that gap may still be committed by the old leader.
            var now = Stopwatch.GetTimestamp();
            probe.MarkKill(now);
            return new FailoverSummary(clock.SecondsSinceStart(now), leader, pid, null, 0, 0);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return Problem(clock, leader, $"could not kill process {pid}: {e.Message}");
        }
    }

    /// <summary>Adds what the probe saw once the run is over.</summary>
    public static FailoverSummary Complete(FailoverSummary killed, FailoverProbe probe)
    {
        if (killed.Problem is not null) return killed;
        var (unknown, failed) = probe.FailuresInWindow();
        return killed with { WritesResumedAfterMs = probe.ResumedAfter()?.TotalMilliseconds, OutcomeUnknownWrites = unknown, FailedWrites = failed };
    }

    private static async Task<LeaderView?> FindLeaderAsync(IBenchTarget target, CancellationToken stop)
    {
        var until = Stopwatch.GetTimestamp() + BenchClock.Ticks(FindLeaderFor);
        while (Stopwatch.GetTimestamp() < until)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
            deadline.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                if (await target.GetLeaderAsync(deadline.Token).ConfigureAwait(false) is { } leader) return leader;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
            }
            await Task.Delay(100, stop).ConfigureAwait(false);
        }
        return null;
    }

    private static FailoverSummary Problem(BenchClock clock, LeaderView? leader, string problem) =>
        new(clock.SecondsSinceStart(Stopwatch.GetTimestamp()), leader, null, null, 0, 0, problem);
}
