using Xunit.Abstractions;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>
/// Membership changes and leadership transfers under the simulator's faults: half of the runs draw a
/// <see cref="Faults.MembershipPlan"/> (learners added as new peers, promoted and removed, voters removed, the leader
/// among them, leadership handed to caught-up and lagging voters, with crashes and partitions placed in the middle).
/// These runs prove the sweep really does exercise that path, so that the checks of a changing membership are not
/// vacuous: peers are added, changes commit, and transfers complete.
/// </summary>
public class MembershipSimulationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(3, 7_200_000)]
    [InlineData(5, 8_200_000)]
    public void FaultyRunsChangeMembershipAndTransferLeadership(int nodes, int firstSeed)
    {
        if (SimulationRunner.ReplaySeed is not null) return;
        var summary = SimulationRunner.RunSeeds(firstSeed, 40, nodes);
        output.WriteLine($"{nodes} nodes, seeds {firstSeed}..{firstSeed + 39}: {summary}");
        // About half of the runs change the membership; each typically adds two or three peers, commits four to ten
        // changes and completes one transfer or two (3 nodes: 61 peers, 102 changes, 27 transfers in these runs;
        // 5 nodes: 37, 80 and 14).
        Assert.True(summary.PeersAdded > 20, $"expected peers added in the membership runs: {summary}");
        Assert.True(summary.ConfigChangesCommitted > 50, $"expected many membership changes to commit: {summary}");
        Assert.True(summary.TransfersDone > 5, $"expected leadership transfers to complete: {summary}");
    }
}
