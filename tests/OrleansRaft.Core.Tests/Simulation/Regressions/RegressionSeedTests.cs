namespace OrleansRaft.Core.Tests.Simulation.Regressions;

/// <summary>Runs that once failed, kept as they are. A seed names a run only for a given simulator, so these
/// complement the focused regression tests next to them rather than replace them.</summary>
public class RegressionSeedTests
{
    [Theory]
    // Stale rejections of a lossy catch-up pipeline restarted replication again and again (StaleRejectionTests).
    [InlineData(202215, 3)]
    public void OnceFailingRunPasses(int seed, int nodes) => SimulationRunner.RunSeed(seed, nodes);
}
