using OrleansRaft.EndToEnd.Tests.Nemesis;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace OrleansRaft.EndToEnd.Tests;

/// <summary>
/// Jepsen-style: concurrent <c>client shell</c> processes run gets, sets, appends and compare-and-sets on a few keys
/// while a nemesis SIGKILLs and restarts silos and freezes them (SIGSTOP) for longer than an election timeout. The
/// recorded history must be linearizable, every acknowledged append must be present exactly once, nothing that was
/// never appended may appear, and the cluster must serve again once the nemesis stops. About 60 s of nemesis by
/// default; ORLEANSRAFT_NEMESIS_SECONDS makes it a soak, ORLEANSRAFT_NEMESIS_SEED replays a schedule.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class NemesisTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Through_silo_kills_and_pauses_shell_clients_see_a_linearizable_history_and_every_acknowledged_append_exactly_once()
    {
        var settings = NemesisSettings.FromEnvironment();
        var cluster = await fixture.ClusterAsync();
        fixture.MarkDegraded(); // silos get killed and replaced: the next test gets a fresh launcher whatever happens

        var report = await new NemesisRun(cluster, settings).ExecuteAsync();

        output.WriteLine(report.Summary);
        if (report.Failures.Count > 0)
        {
            var evidence = HistoryDump.Write(report.Workload, cluster.Log.Path);
            throw new XunitException(string.Join(Environment.NewLine, [
                $"nemesis run failed (replay its schedule with {NemesisSettings.SeedVariable}={settings.Seed}): {report.Summary}",
                .. report.Failures,
                $"history and cluster log copied to {evidence}",
            ]));
        }
    }
}
