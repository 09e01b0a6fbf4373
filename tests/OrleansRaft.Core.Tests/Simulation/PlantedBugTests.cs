using System.Diagnostics;
using Xunit.Abstractions;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>
/// The simulator must catch each known Raft bug planted on purpose, using the runs CI uses (visited in
/// <see cref="SimulationSeeds.All"/> order, stopping at the first violation), and must report nothing when no
/// bug is planted (that is the CI sweep itself: <see cref="ThreeNodeSimulationTests"/>, <see cref="FiveNodeSimulationTests"/>).
/// A violation is a broken safety property or a non-linearizable history, not a stalled run. Bugs of the host's
/// fencing of duplicate activations are planted through <see cref="SimulationOptions.Fencing"/> instead
/// (<c>PlantedBugTests.Fencing.cs</c>).
/// </summary>
public partial class PlantedBugTests(ITestOutputHelper output)
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

    /// <summary>Membership bugs, caught in the runs that change the membership (half of the CI runs draw a
    /// <see cref="Faults.MembershipPlan"/>; the others cannot tell and are skipped, as passed). Each must be caught by
    /// what it breaks: a second change in flight lets two configurations two changes apart commit or elect on disjoint
    /// majorities (State Machine Safety); a change before the leader's first commit of its term is Ongaro's raft-dev
    /// bug, staged by the interrupted-change episode (Leader Completeness); a learner's vote elects two leaders in one
    /// term (Election Safety) or a leader without committed entries.</summary>
    [Theory]
    [InlineData(PlantedBugs.TwoConfigChangesInFlight)]
    [InlineData(PlantedBugs.ConfigChangeBeforeTermCommit)]
    [InlineData(PlantedBugs.CountLearnerVotes)]
    internal void PlantedMembershipBugIsCaught(PlantedBugs bug) =>
        Hunt(bug.ToString(), bug, options => options, catches: 1, skip: options => options.Faults?.Membership is null);

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

    private SimulationFailedException Hunt(PlantedBugs bug, Func<SimulationOptions, SimulationOptions> adjust) =>
        Hunt(bug.ToString(), bug, adjust, catches: 1)[0].Failure;

    /// <summary>Walks the CI runs until <paramref name="catches"/> of them broke a safety property or linearizability
    /// (at least one must); returns those runs.</summary>
    private List<(int Seed, int Nodes, SimulationFailedException Failure)> Hunt(
        string what, PlantedBugs bug, Func<SimulationOptions, SimulationOptions> adjust, int catches,
        Func<SimulationOptions, bool>? skip = null)
    {
        var watch = Stopwatch.StartNew();
        var runs = 0;
        var caught = new List<(int, int, SimulationFailedException)>();
        foreach (var (seed, nodes) in SimulationSeeds.All())
        {
            runs++;
            try
            {
                var simulation = ClusterSimulation.FromSeed(seed, nodes, bug, adjust);
                if (skip?.Invoke(simulation.Options) == true) continue;
                simulation.Run();
            }
            catch (SimulationFailedException e) when (e.IsSafetyViolation || e.IsLinearizabilityViolation)
            {
                output.WriteLine($"{what} caught after {runs} runs ({watch.Elapsed.TotalSeconds:0.0} s), seed {seed}, {nodes} nodes:");
                output.WriteLine(e.Message.Split(Environment.NewLine)[0]);
                caught.Add((seed, nodes, e));
                if (caught.Count == catches) return caught;
            }
            catch (SimulationFailedException)
            {
                // A run the bug stalled or flooded proves nothing either way: keep hunting.
            }
        }
        Assert.True(caught.Count > 0, $"{what} went undetected in {runs} runs.");
        return caught;
    }
}
