using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>
/// The host's fencing of duplicate activations (DESIGN.md §4, "Peer identity"). Half of the CI runs start second
/// activations of peers over the same store (<see cref="Faults.FaultPlan.DuplicateActivation"/>). With a fencing
/// model that lets both speak for the peer, the existing checks must catch it (Election Safety, Log Matching,
/// Leader Completeness, State Machine Safety, linearizability), not a check of the bug's own mechanism; and the
/// complete per-peer models must pass those same runs. The CI sweep itself runs <see cref="FencingPolicy.PerPeer"/>.
/// </summary>
public partial class PlantedBugTests
{
    /// <summary>How many runs that catch a planted fencing bug the per-peer models must then pass.</summary>
    private const int FencingCatches = 5;

    /// <summary>Fencing per row (what the grain did first): a stale activation votes with an older log or acknowledges
    /// what the other one overwrote, and the peer's store forgets what the peer promised.</summary>
    [Fact]
    public void PerRowFencingIsCaught() => CaughtThenPassedByPerPeer(FencingPolicy.PerRow, FencingCatches);

    /// <summary>Fencing per peer as first stated (claim, and a peer-row write ending every persisting Ready) is not
    /// enough: the rows a fenced activation wrote before its peer-row write failed may land after the newer one
    /// loaded, and mix with its log (see <see cref="FencingPolicy"/> for the rules that close each hole).</summary>
    [Fact]
    public void PeerRowOnlyFencingIsCaught() => CaughtThenPassedByPerPeer(FencingPolicy.PeerRowOnly, catches: 1);

    /// <summary>Each rule the grain adds to the claim and the ending write is needed: <see cref="FencingPolicy.PerPeer"/>
    /// without it must be caught too. (Dropping the reclaim rule is caught only by a longer soak, dropping the check
    /// before sending by none so far: see the simulator's README.)</summary>
    [Theory]
    [InlineData("1101110")] // without VouchLogEnd
    [InlineData("1111010")] // without StrictRowETags
    public void PerPeerWithoutARuleIsCaught(string rules) => CaughtThenPassedByPerPeer(FencingPolicy.Parse(rules), catches: 1);

    private void CaughtThenPassedByPerPeer(FencingPolicy planted, int catches)
    {
        // Runs that start no duplicate activation cannot tell fencing models apart: they are skipped (as passed).
        var caught = Hunt($"fencing {planted}", PlantedBugs.None, options => options with { Fencing = planted }, catches,
            skip: options => options.Faults is not { DuplicateActivation: > 0 });
        foreach (var (seed, nodes, _) in caught)
        foreach (var complete in (FencingPolicy[])[FencingPolicy.PerPeer, FencingPolicy.PerPeerTransaction])
        {
            var result = ClusterSimulation.FromSeed(seed, nodes, PlantedBugs.None, options => options with { Fencing = complete }).Run();
            output.WriteLine($"fencing {complete} passes seed {seed}: {result}");
        }
    }
}
