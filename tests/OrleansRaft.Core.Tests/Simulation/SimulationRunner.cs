using System.Diagnostics;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>
/// Runs seeds and turns a failure into a message a developer can act on: the seed, the run's options, the
/// events leading up to it, and the exact command that replays it. Environment knobs:
/// <list type="bullet">
/// <item><c>RAFT_SIM_RUNS</c>: total randomized runs across the CI test rows (default 2000), for soaks.</item>
/// <item><c>RAFT_SIM_FIRST_SEED</c>: shifts every row's seeds, so a soak explores new ones.</item>
/// <item><c>RAFT_SIM_SEED</c>, <c>RAFT_SIM_NODES</c>, <c>RAFT_SIM_BUGS</c>: replay one run (see <see cref="ReplayCommand"/>).</item>
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

    public static string ReplayCommand(SimulationOptions options) =>
        $"RAFT_SIM_SEED={options.Seed} RAFT_SIM_NODES={options.Nodes}" +
        (options.Bugs != PlantedBugs.None ? $" RAFT_SIM_BUGS={options.Bugs.ToString().Replace(" ", "")}" : "") +
        " dotnet test tests/OrleansRaft.Core.Tests -c Release --filter \"FullyQualifiedName~SimulationReplayTests\"";

    /// <summary>Runs one seed; on failure throws with the replay command in the message.</summary>
    public static SimulationResult RunSeed(int seed, int nodes, PlantedBugs bugs = PlantedBugs.None)
    {
        try
        {
            return ClusterSimulation.FromSeed(seed, nodes, bugs).Run();
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
        long events = 0, completed = 0, taken = 0, installed = 0;
        for (var seed = firstSeed; seed < firstSeed + count; seed++)
        {
            var result = RunSeed(seed, nodes, bugs);
            events += result.Events;
            completed += result.CompletedOperations;
            taken += result.SnapshotsTaken;
            installed += result.SnapshotsInstalled;
        }
        return new RunSummary(count, events, completed, taken, installed, watch.Elapsed);
    }

    private static int? ReadInt(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
}

internal sealed record RunSummary(int Runs, long Events, long CompletedOperations, long SnapshotsTaken, long SnapshotsInstalled, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"{Runs} runs, {Events} events, {CompletedOperations} operations completed, {SnapshotsTaken} snapshots taken and " +
        $"{SnapshotsInstalled} installed from a leader in {Elapsed.TotalSeconds:0.0} s";
}
