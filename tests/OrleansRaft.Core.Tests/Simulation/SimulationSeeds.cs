namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>
/// The seeds CI runs: <see cref="Rows"/> rows per cluster size, each a block of consecutive seeds, split so
/// that xunit can spread them over the cores. Three-node and five-node runs use disjoint seed ranges.
/// </summary>
internal static class SimulationSeeds
{
    public const int Rows = 10;

    /// <summary>Five-node seeds start here, so that no seed names two different runs.</summary>
    private const int FiveNodeBase = 1_000_000;

    /// <summary>Runs per row: the total (<c>RAFT_SIM_RUNS</c>, default 2000) over both sizes and all rows.</summary>
    public static int RunsPerRow => Math.Max(1, SimulationRunner.TotalRuns / (2 * Rows));

    public static int FirstSeed(int nodes, int row) =>
        SimulationRunner.FirstSeed + (nodes == 5 ? FiveNodeBase : 0) + row * RunsPerRow;

    /// <summary>Every CI run in the order a bug hunt visits them: alternating sizes, row by row.</summary>
    public static IEnumerable<(int Seed, int Nodes)> All()
    {
        for (var row = 0; row < Rows; row++)
        for (var i = 0; i < RunsPerRow; i++)
        {
            yield return (FirstSeed(3, row) + i, 3);
            yield return (FirstSeed(5, row) + i, 5);
        }
    }
}
