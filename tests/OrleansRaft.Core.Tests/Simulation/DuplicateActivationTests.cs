using Xunit.Abstractions;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>
/// Duplicate activations under the simulator's faults: half of the runs draw a chance of starting a second
/// activation of a peer over the same store (often the leader's), beside the first, which keeps running until a
/// fence or its retirement ends it. These runs prove the sweep really does exercise that path, so that the
/// safety checks are not vacuous for it: duplicates start, and the per-peer fencing model fences the older ones.
/// </summary>
public class DuplicateActivationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(3, 7_100_000)]
    [InlineData(5, 8_100_000)]
    public void FaultyRunsStartDuplicateActivationsAndFenceTheOlderOnes(int nodes, int firstSeed)
    {
        if (SimulationRunner.ReplaySeed is not null) return;
        var summary = SimulationRunner.RunSeeds(firstSeed, 40, nodes);
        output.WriteLine($"{nodes} nodes, seeds {firstSeed}..{firstSeed + 39}: {summary}");
        Assert.True(summary.DuplicateActivations > 40, $"expected several duplicate activations in half of the runs: {summary}");
        Assert.True(summary.FencedActivations > summary.DuplicateActivations / 2, $"expected most older activations to be fenced: {summary}");
    }
}
