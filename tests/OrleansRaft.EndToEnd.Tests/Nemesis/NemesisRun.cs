using System.Diagnostics;
using OrleansRaft.EndToEnd.Tests.Support;
using OrleansRaft.Testing.Linearizability;
using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>What a nemesis run found: its summary line and every failure (none when it passed).</summary>
internal sealed record NemesisReport(string Summary, IReadOnlyList<string> Failures, WorkloadContext Workload);

/// <summary>
/// One nemesis run on a running cluster: clients first get going, then the nemesis runs for the configured time
/// while they go on, then (every silo up again) each client must get a few more operations through, then a last
/// client reads every key. Whatever goes wrong on the way is collected, not thrown, so that the report always
/// carries the numbers and the history check. Every process the run started is stopped before it returns.
/// </summary>
/// <param name="nemesis">What goes wrong meanwhile, given control of the silos: by default the random kills and pauses
/// of <see cref="NemesisSchedule"/>.</param>
/// <param name="extraSilos">Silos beyond the launcher's that the nemesis may start (new nodes: node3, node4, ...).</param>
internal sealed class NemesisRun(ClusterProcess cluster, NemesisSettings settings, Func<SiloControl, INemesis>? nemesis = null, int extraSilos = 0)
{
    /// <summary>Acknowledged operations per second of nemesis below which the run is too slow to prove much.</summary>
    private const double MinimumAcknowledgedPerSecond = 2;

    private static readonly TimeSpan ProgressLimit = TimeSpan.FromSeconds(60);

    public async Task<NemesisReport> ExecuteAsync()
    {
        var wall = Stopwatch.StartNew();
        var run = new WorkloadContext(settings, new KeySpace($"{settings.Seed}-{Guid.NewGuid().ToString("N")[..6]}", settings.Keys), cluster.Note);
        cluster.Note($"nemesis: seed {settings.Seed}, {settings.Duration.TotalSeconds:0} s, {settings.Clients} clients, keys under nemesis/{run.Keys.Run}");
        var failures = new List<string>();
        var clients = Enumerable.Range(0, settings.Clients).Select(i => new NemesisClient(i, run)).ToArray();
        IReadOnlyDictionary<string, string?>? finalValues = null;
        INemesis schedule;

        await using (var silos = new SiloControl(cluster, extraSilos))
        {
            schedule = nemesis?.Invoke(silos) ?? new NemesisSchedule(silos, settings.Seed, cluster.Note);
            var recovered = await RunClientsAsync(clients, schedule, failures);
            if (recovered)
            {
                try
                {
                    finalValues = await FinalReads.ReadAsync(run, settings.Clients, [.. run.Keys.AppendKeys, .. run.Keys.Registers], ProgressLimit);
                }
                catch (Exception e) when (e is TimeoutException or InvalidOperationException)
                {
                    failures.Add($"final reads: {e.Message}");
                }
            }
        }

        var check = Stopwatch.StartNew();
        var result = LinearizabilityChecker.Check(KvModel.Instance, run.History.Operations);
        check.Stop();
        if (!result.IsLinearizable) failures.Add($"the history is not linearizable: {result}");
        if (finalValues is not null)
        {
            var appendKeys = run.Keys.AppendKeys.ToHashSet();
            failures.AddRange(run.Appends.Verify(finalValues.Where(v => appendKeys.Contains(v.Key)).ToDictionary()).Select(p => $"appends: {p}"));
        }
        failures.AddRange(run.Anomalies.Select(a => $"anomaly: {a}"));
        var minimum = (int)(settings.Duration.TotalSeconds * MinimumAcknowledgedPerSecond);
        if (run.Stats.Acknowledged < minimum)
            failures.Add($"only {run.Stats.Acknowledged} operations were acknowledged, fewer than {minimum}: the run proves too little");
        if (run.Appends.AcknowledgedCount == 0) failures.Add("no append was acknowledged: the exactly-once check proves nothing");

        var summary = NemesisSummary.Line(run, schedule, check.Elapsed, wall.Elapsed);
        cluster.Note(summary);
        return new NemesisReport(summary, failures, run);
    }

    /// <summary>Runs the clients through the three phases; returns whether they all made progress after the nemesis.</summary>
    private async Task<bool> RunClientsAsync(NemesisClient[] clients, INemesis schedule, List<string> failures)
    {
        using var stopClients = new CancellationTokenSource();
        var running = clients.Select(c => Task.Run(() => c.RunAsync(stopClients.Token))).ToArray();
        try
        {
            if (await ClientProgress.WaitAsync(clients, running, ClientProgress.Snapshot(clients), 1, ProgressLimit) is { } slowStart)
            {
                failures.Add($"before the nemesis: {slowStart}");
                return false;
            }
            using (var nemesisTime = new CancellationTokenSource(settings.Duration)) await schedule.RunAsync(nemesisTime.Token);
            cluster.Note("nemesis: stopped; every silo is up");
            if (await ClientProgress.WaitAsync(clients, running, ClientProgress.Snapshot(clients), 3, ProgressLimit) is { } stuck)
            {
                failures.Add($"after the nemesis, with every silo up again, the cluster did not recover: {stuck}");
                return false;
            }
            return true;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
            failures.Add($"the run stopped early: {e.GetType().Name}: {e.Message}");
            return false;
        }
        finally
        {
            await stopClients.CancelAsync();
            await Task.WhenAll(running);
        }
    }
}
