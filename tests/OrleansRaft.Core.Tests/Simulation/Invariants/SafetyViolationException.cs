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
}

/// <summary>A safety property does not hold. Thrown at the step that broke it, so the trace ends there.</summary>
internal sealed class SafetyViolationException(Invariant invariant, string detail)
    : Exception($"{invariant} violated: {detail}")
{
    public Invariant Invariant { get; } = invariant;
}
