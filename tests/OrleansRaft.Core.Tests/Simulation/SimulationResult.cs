namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>What a run did, for progress assertions and soak statistics.</summary>
internal sealed record SimulationResult(
    int Seed,
    long Events,
    long MessagesDelivered,
    int Elections,
    long CommittedIndex,
    int Operations,
    int CompletedOperations,
    int FaultActions,
    int Crashes,
    int SnapshotsTaken,
    int SnapshotsInstalled,
    int DuplicateActivations,
    int FencedActivations,
    int PeersAdded = 0,
    int ConfigChangesCommitted = 0,
    int TransfersStarted = 0,
    int TransfersDone = 0,
    int Quiesced = 0,
    int MembershipWakeUps = 0)
{
    public override string ToString() =>
        $"seed {Seed}: {Events} events, {MessagesDelivered} messages, {Elections} elections, {Crashes} crashes, " +
        $"{FaultActions} fault actions, {SnapshotsTaken} snapshots taken, {SnapshotsInstalled} installed, " +
        $"{DuplicateActivations} duplicate activations ({FencedActivations} activations fenced), " +
        $"{PeersAdded} peers added, {ConfigChangesCommitted} membership changes committed, {TransfersDone}/{TransfersStarted} transfers done, " +
        $"{Quiesced} times quiesced, {MembershipWakeUps} membership wake-ups, " +
        $"committed {CommittedIndex}, {CompletedOperations}/{Operations} ops completed";
}

/// <summary>A run broke a safety property, a client saw a non-linearizable history, or it made no progress.</summary>
internal sealed class SimulationFailedException(SimulationOptions options, string reason, string trace, Exception? inner)
    : Exception($"{reason}{Environment.NewLine}Run: {options}{Environment.NewLine}Last events:{Environment.NewLine}{trace}", inner)
{
    public SimulationOptions Options { get; } = options;

    /// <summary>True when a Raft safety property broke (as opposed to linearizability or progress).</summary>
    public bool IsSafetyViolation => InnerException is Invariants.SafetyViolationException;

    public bool IsLinearizabilityViolation { get; init; }

    public bool IsProgressFailure { get; init; }
}
