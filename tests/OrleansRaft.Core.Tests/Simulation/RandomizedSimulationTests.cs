using Xunit.Abstractions;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>
/// The CI sweep, with no bug planted: every run must keep every safety property, produce a linearizable
/// history and make progress. Two classes (two xunit collections) so that the sizes run on both cores.
/// <c>RAFT_SIM_RUNS=20000</c> turns the sweep into a soak; a failure prints the command that replays it.
/// </summary>
public class ThreeNodeSimulationTests(ITestOutputHelper output)
{
    public static TheoryData<int> Rows => [.. Enumerable.Range(0, SimulationSeeds.Rows)];

    [Theory]
    [MemberData(nameof(Rows))]
    public void RandomizedRunsKeepSafetyAndLinearizability(int row) => SimulationSweep.Run(output, nodes: 3, row);
}

/// <inheritdoc cref="ThreeNodeSimulationTests"/>
public class FiveNodeSimulationTests(ITestOutputHelper output)
{
    public static TheoryData<int> Rows => [.. Enumerable.Range(0, SimulationSeeds.Rows)];

    [Theory]
    [MemberData(nameof(Rows))]
    public void RandomizedRunsKeepSafetyAndLinearizability(int row) => SimulationSweep.Run(output, nodes: 5, row);
}

internal static class SimulationSweep
{
    public static void Run(ITestOutputHelper output, int nodes, int row)
    {
        // Replaying one seed: the sweep stands aside (see SimulationReplayTests).
        if (SimulationRunner.ReplaySeed is not null) return;
        var summary = SimulationRunner.RunSeeds(SimulationSeeds.FirstSeed(nodes, row), SimulationSeeds.RunsPerRow, nodes);
        output.WriteLine($"{nodes} nodes, seeds from {SimulationSeeds.FirstSeed(nodes, row)}: {summary}");
    }
}
