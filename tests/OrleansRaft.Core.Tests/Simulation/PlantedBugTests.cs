using System.Diagnostics;
using Xunit.Abstractions;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>
/// The simulator must catch each known Raft bug planted on purpose, using the runs CI uses (visited in
/// <see cref="SimulationSeeds.All"/> order, stopping at the first violation), and must report nothing when no
/// bug is planted (that is the CI sweep itself: <see cref="ThreeNodeSimulationTests"/>, <see cref="FiveNodeSimulationTests"/>).
/// A violation is a broken safety property or a non-linearizable history, not a stalled run.
/// </summary>
public class PlantedBugTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(PlantedBugs.CommitPreviousTermByCount)]
    [InlineData(PlantedBugs.VoteWithoutUpToDateCheck)]
    [InlineData(PlantedBugs.ForgetVoteOnRestart)]
    [InlineData(PlantedBugs.KeepConflictingSuffix)]
    // With the Ready-contract check off, the early acknowledgement must be caught by what it breaks.
    [InlineData(PlantedBugs.AckBeforePersist)]
    internal void PlantedBugIsCaught(PlantedBugs bug) =>
        Hunt(bug, options => options with { CheckReadyContract = false });

    /// <summary>A cluster test sees only client histories. With the simulator's invariants off, a leader elected
    /// without the up-to-date check must still show up as a non-linearizable history (lost writes, stale reads).</summary>
    [Fact]
    public void ClientHistoryAloneRevealsALeaderWithAStaleLog()
    {
        var failure = Hunt(PlantedBugs.VoteWithoutUpToDateCheck, options => options with { CheckSafety = false });
        Assert.True(failure.IsLinearizabilityViolation, failure.Message);
    }

    [Fact]
    public void EarlyAcknowledgementBreaksTheReadyContractAtOnce()
    {
        var failure = Hunt(PlantedBugs.AckBeforePersist, options => options);
        Assert.Equal(Invariants.Invariant.NodeContract, ((Invariants.SafetyViolationException)failure.InnerException!).Invariant);
    }

    private SimulationFailedException Hunt(PlantedBugs bug, Func<SimulationOptions, SimulationOptions> adjust)
    {
        var watch = Stopwatch.StartNew();
        var runs = 0;
        foreach (var (seed, nodes) in SimulationSeeds.All())
        {
            runs++;
            try
            {
                ClusterSimulation.FromSeed(seed, nodes, bug, adjust).Run();
            }
            catch (SimulationFailedException e) when (e.IsSafetyViolation || e.IsLinearizabilityViolation)
            {
                output.WriteLine($"{bug} caught after {runs} runs ({watch.Elapsed.TotalSeconds:0.0} s), seed {seed}, {nodes} nodes:");
                output.WriteLine(e.Message.Split(Environment.NewLine)[0]);
                return e;
            }
            catch (SimulationFailedException)
            {
                // A run the bug stalled or flooded proves nothing either way: keep hunting.
            }
        }
        Assert.Fail($"{bug} went undetected in {runs} runs.");
        return null!;
    }
}
