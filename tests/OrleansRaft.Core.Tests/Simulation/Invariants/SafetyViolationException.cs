namespace OrleansRaft.Core.Tests.Simulation.Invariants;

/// <summary>The Raft safety properties (Figure 3 of the paper) plus the bookkeeping ones the simulator adds.</summary>
internal enum Invariant
{
    ElectionSafety,
    LogMatching,
    LeaderCompleteness,
    StateMachineSafety,
    CommitMonotonic,
    AppliedBeyondCommitted,

    /// <summary>The node broke its own contract (threw, or handed out an impossible Ready).</summary>
    NodeContract,

    /// <summary>A leader committed an entry that is not durable on a majority of its configuration's voters.</summary>
    CommitQuorum,

    /// <summary>A node's configuration in force is not the one its log implies (its latest membership change, or
    /// the committed configuration at its log's base).</summary>
    ConfigurationHistory,
}

/// <summary>A safety property does not hold. Thrown at the step that broke it, so the trace ends there.</summary>
internal sealed class SafetyViolationException(Invariant invariant, string detail)
    : Exception($"{invariant} violated: {detail}")
{
    public Invariant Invariant { get; } = invariant;
}
