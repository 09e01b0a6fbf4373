using Xunit.Abstractions;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>
/// Snapshots and compaction under the simulator's faults: the sweep draws a snapshot policy for most runs (every
/// 3 to 40 applied entries, a few catch-up entries kept, chunks of 8 to 200 bytes), so followers that were down,
/// partitioned or slow catch up through chunked InstallSnapshot with drops, duplicates and crashes in between. The
/// checker holds every snapshot taken or restored to the committed prefix. These runs prove the sweep really does
/// exercise that path, so that the safety checks above are not vacuous for it.
/// </summary>
public class SnapshotSimulationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(3, 7_000_000)]
    [InlineData(5, 8_000_000)]
    public void FaultyRunsTakeSnapshotsAndInstallThemOnLaggingPeers(int nodes, int firstSeed)
    {
        if (SimulationRunner.ReplaySeed is not null) return;
        var summary = SimulationRunner.RunSeeds(firstSeed, 60, nodes);
        output.WriteLine($"{nodes} nodes, seeds {firstSeed}..{firstSeed + 59}: {summary}");
        Assert.True(summary.SnapshotsTaken > 60, $"expected snapshots in most runs: {summary}");
        Assert.True(summary.SnapshotsInstalled > 10, $"expected lagging followers to install snapshots from the leader: {summary}");
    }
}
