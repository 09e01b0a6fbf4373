using OrleansRaft.Core.Tests.Simulation.Peers;
using System.Diagnostics;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>
/// Runs seeds and turns a failure into a message a developer can act on: the seed, the run's options, the
/// events leading up to it, and the exact command that replays it. Environment knobs:
/// <list type="bullet">
/// <item><c>RAFT_SIM_RUNS</c>: total randomized runs across the CI test rows (default 2000), for soaks.</item>
/// <item><c>RAFT_SIM_FIRST_SEED</c>: shifts every row's seeds, so a soak explores new ones.</item>
/// <item><c>RAFT_SIM_SEED</c>, <c>RAFT_SIM_NODES</c>, <c>RAFT_SIM_BUGS</c>, <c>RAFT_SIM_FENCING</c>: replay one run (see
/// <see cref="ReplayCommand"/>). <c>RAFT_SIM_FENCING</c> names a <see cref="FencingMode"/>, or gives the seven
/// <see cref="FencingPolicy"/> rules as 0/1 digits in their order (e.g. <c>1101110</c>); it applies to the sweep too.</item>
/// </list>
/// </summary>
internal static class SimulationRunner
{
    public const int DefaultRuns = 2000;

    public static int TotalRuns => ReadInt("RAFT_SIM_RUNS") ?? DefaultRuns;

    public static int FirstSeed => ReadInt("RAFT_SIM_FIRST_SEED") ?? 0;

    /// <summary>Set when a single run is being replayed: the randomized rows then stand aside.</summary>
    public static int? ReplaySeed => ReadInt("RAFT_SIM_SEED");

    public static int ReplayNodes => ReadInt("RAFT_SIM_NODES") ?? 3;

    public static PlantedBugs ReplayBugs =>
        Environment.GetEnvironmentVariable("RAFT_SIM_BUGS") is { Length: > 0 } bugs ? Enum.Parse<PlantedBugs>(bugs) : PlantedBugs.None;

    public static FencingPolicy Fencing => Environment.GetEnvironmentVariable("RAFT_SIM_FENCING") is { Length: > 0 } fencing
        ? FencingPolicy.Parse(fencing)
        : FencingPolicy.PerPeer;

    public static string ReplayCommand(SimulationOptions options) =>
        $"RAFT_SIM_SEED={options.Seed} RAFT_SIM_NODES={options.Nodes}" +
        (options.Bugs != PlantedBugs.None ? $" RAFT_SIM_BUGS={options.Bugs.ToString().Replace(" ", "")}" : "") +
        (options.Fencing != FencingPolicy.PerPeer ? $" RAFT_SIM_FENCING={options.Fencing.Code}" : "") +
        " dotnet test tests/OrleansRaft.Core.Tests -c Release --filter \"FullyQualifiedName~SimulationReplayTests\"";

    /// <summary>Runs one seed; on failure throws with the replay command in the message.</summary>
    public static SimulationResult RunSeed(int seed, int nodes, PlantedBugs bugs = PlantedBugs.None)
    {
        try
        {
            var fencing = Fencing;
            return ClusterSimulation.FromSeed(seed, nodes, bugs, options => options with { Fencing = fencing }).Run();
        }
        catch (SimulationFailedException e)
        {
            throw new SimulationFailedException(e.Options,
                $"Simulation failed. Replay: {ReplayCommand(e.Options)}{Environment.NewLine}{e.Message}", "", e.InnerException ?? e)
            {
                IsLinearizabilityViolation = e.IsLinearizabilityViolation,
                IsProgressFailure = e.IsProgressFailure,
            };
        }
    }

    /// <summary>Runs <paramref name="count"/> consecutive seeds; stops at the first failure (thrown).</summary>
    public static RunSummary RunSeeds(int firstSeed, int count, int nodes, PlantedBugs bugs = PlantedBugs.None)
    {
        var watch = Stopwatch.StartNew();
        long events = 0, completed = 0, taken = 0, installed = 0, duplicates = 0, fenced = 0, added = 0, changes = 0, transfers = 0, quiesced = 0, wakeUps = 0;
        for (var seed = firstSeed; seed < firstSeed + count; seed++)
        {
            var result = RunSeed(seed, nodes, bugs);
            events += result.Events;
            completed += result.CompletedOperations;
            taken += result.SnapshotsTaken;
            installed += result.SnapshotsInstalled;
            duplicates += result.DuplicateActivations;
            fenced += result.FencedActivations;
            added += result.PeersAdded;
            changes += result.ConfigChangesCommitted;
            transfers += result.TransfersDone;
            quiesced += result.Quiesced;
            wakeUps += result.MembershipWakeUps;
        }
        return new RunSummary(count, events, completed, taken, installed, duplicates, fenced, watch.Elapsed, added, changes, transfers, quiesced, wakeUps);
    }

    private static int? ReadInt(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
}

internal sealed record RunSummary(
    int Runs, long Events, long CompletedOperations, long SnapshotsTaken, long SnapshotsInstalled, long DuplicateActivations,
    long FencedActivations, TimeSpan Elapsed, long PeersAdded = 0, long ConfigChangesCommitted = 0, long TransfersDone = 0,
    long Quiesced = 0, long MembershipWakeUps = 0)
{
    public override string ToString() =>
        $"{Runs} runs, {Events} events, {CompletedOperations} operations completed, {SnapshotsTaken} snapshots taken and " +
        $"{SnapshotsInstalled} installed from a leader, {DuplicateActivations} duplicate activations and {FencedActivations} " +
        $"activations fenced, {PeersAdded} peers added, {ConfigChangesCommitted} membership changes committed, " +
        $"{TransfersDone} leadership transfers done, {Quiesced} times quiesced ({MembershipWakeUps} membership wake-ups) in {Elapsed.TotalSeconds:0.0} s";
}
