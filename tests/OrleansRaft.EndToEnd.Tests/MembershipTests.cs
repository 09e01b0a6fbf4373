using OrleansRaft.EndToEnd.Tests.Nemesis;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace OrleansRaft.EndToEnd.Tests;

/// <summary>
/// Membership changes on real processes under load: the launcher's three silos, two more started as a user adds nodes
/// to the machine, the CLI making every change, and <c>client shell</c> processes recording a history of gets, sets,
/// appends and compare-and-sets throughout (<see cref="MembershipNemesis"/> says what changes). The history must be
/// linearizable and every acknowledged append present exactly once, as in the nemesis test.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class MembershipTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Growing_replacing_a_wiped_node_shrinking_without_the_leader_and_a_rolling_restart_keep_the_history_linearizable()
    {
        var settings = NemesisSettings.FromEnvironment() with { Duration = TimeSpan.FromMinutes(2) };
        var cluster = await fixture.ClusterAsync();
        fixture.MarkDataLost(); // the group's members changed for good: the next test gets a new group

        var report = await new NemesisRun(cluster, settings, silos => new MembershipNemesis(silos, cluster.Note), MembershipNemesis.ExtraSilos).ExecuteAsync();

        output.WriteLine(report.Summary);
        if (report.Failures.Count > 0)
        {
            var evidence = HistoryDump.Write(report.Workload, cluster.Log.Path);
            throw new XunitException(string.Join(Environment.NewLine, [$"membership run failed: {report.Summary}", .. report.Failures, $"history and cluster log copied to {evidence}"]));
        }
    }
}
