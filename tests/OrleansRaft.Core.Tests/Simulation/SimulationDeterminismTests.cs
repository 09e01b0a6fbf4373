namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>A seed must replay bit for bit: same events, same messages, same history.</summary>
public class SimulationDeterminismTests
{
    [Theory]
    [InlineData(7, 3)]
    [InlineData(1_000_007, 5)]
    // Duplicate activations: 19 of them, 6 fenced, and messages and client calls routed between them.
    [InlineData(5, 3)]
    // Membership: 19 peers added, 45 changes committed, 7 of 11 leadership transfers done.
    [InlineData(101_799, 3)]
    public void SameSeedSameRun(int seed, int nodes)
    {
        var first = Fingerprint(ClusterSimulation.FromSeed(seed, nodes));
        var second = Fingerprint(ClusterSimulation.FromSeed(seed, nodes));
        Assert.Equal(first, second);
    }

    [Fact]
    public void DifferentSeedsDiffer() =>
        Assert.NotEqual(Fingerprint(ClusterSimulation.FromSeed(1, 3)), Fingerprint(ClusterSimulation.FromSeed(2, 3)));

    private static string Fingerprint(ClusterSimulation simulation)
    {
        var result = simulation.Run();
        var history = string.Join(";", simulation.History.Select(op => $"{op.ClientId}:{op.Input}@{op.Call}-{op.Return}={op.Output}"));
        return $"{result}|{history}|{simulation.Trace}";
    }
}
