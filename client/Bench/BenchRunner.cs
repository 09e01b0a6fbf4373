using System.Diagnostics;

namespace OrleansRaft.Cli.Bench;

/// <summary>
/// Runs a workload against a target: starts one <see cref="BenchWorker"/> per logical client, the leader watcher,
/// the progress line and, if asked, the leader kill; waits for the end of the measurement (or Ctrl+C, which ends
/// it early and still reports); lets in-flight operations finish; merges the figures.
/// </summary>
internal static class BenchRunner
{
    public static async Task<BenchResult> RunAsync(
        IBenchTarget target, BenchOptions options, bool stale, TextWriter stderr, bool live, CancellationToken cancellationToken)
    {
        var workload = new BenchWorkload(options.Keys, options.ValueSize);
        var probe = options.KillLeaderAfter is null ? null : new FailoverProbe();
        var clients = Enumerable.Range(0, options.Concurrency).Select(target.CreateClient).ToArray();
        var clock = new BenchClock(options.Warmup, options.EffectiveDuration, options.Ops);
        var workers = clients.Select((c, i) => new BenchWorker(i, c, target, workload, options.Mix, stale, clock, probe)).ToArray();
        var recorders = workers.Select(w => w.Recorder).ToArray();

        using var background = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = new LeaderWatcher(target);
        var watching = watcher.RunAsync(background.Token);
        var progress = new ProgressReporter(recorders, clock, watcher, stderr, live).RunAsync(background.Token);
        var killing = probe is null
            ? Task.FromResult<FailoverSummary?>(null)
            : KillAsync(target, clock, options, probe, background.Token);
        var running = Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(cancellationToken), CancellationToken.None)));

        var interrupted = false;
        try
        {
            if (clock.IsTimed) await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), clock.MeasureEnd), cancellationToken).ConfigureAwait(false);
            else await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }
        if (interrupted) clock.Stop(Stopwatch.GetTimestamp());
        await running.ConfigureAwait(false);      // in-flight operations finish (or are cancelled by Ctrl+C)

        await background.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(watching, progress).ConfigureAwait(false);
        var killed = await Quietly(killing).ConfigureAwait(false);
        var failover = killed is null ? null : LeaderKiller.Complete(killed, probe!);
        return BenchResultBuilder.Build(target.Name, options, stale, recorders, clock.Measured(), interrupted, watcher.Summary(), failover);
    }

    private static async Task<FailoverSummary?> KillAsync(IBenchTarget target, BenchClock clock, BenchOptions options, FailoverProbe probe, CancellationToken stop) =>
        await LeaderKiller.RunAsync(target, clock, options.KillLeaderAfter!.Value, options.ProcessIds, probe, stop).ConfigureAwait(false);

    // The kill is cancelled when the run ends (or is interrupted) before its time: then nothing was killed.
    private static async Task<FailoverSummary?> Quietly(Task<FailoverSummary?> killing)
    {
        try
        {
            return await killing.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return new FailoverSummary(0, null, null, null, 0, 0, "the run ended before the kill was due");
        }
    }
}
