using Xunit.Abstractions;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>
/// Replays one run named by the environment, as printed by a failing run:
/// <c>RAFT_SIM_SEED=1234 RAFT_SIM_NODES=5 [RAFT_SIM_BUGS=...] dotnet test tests/OrleansRaft.Core.Tests -c Release
/// --filter "FullyQualifiedName~SimulationReplayTests"</c>. Without <c>RAFT_SIM_SEED</c> it does nothing.
/// </summary>
public class SimulationReplayTests(ITestOutputHelper output)
{
    [Fact]
    public void ReplayFromEnvironment()
    {
        if (SimulationRunner.ReplaySeed is not { } seed) return;
        ClusterSimulation.TraceCapacity = 1000;
        var result = SimulationRunner.RunSeed(seed, SimulationRunner.ReplayNodes, SimulationRunner.ReplayBugs);
        output.WriteLine(result.ToString());
    }
}
