using OrleansRaft.Core;

namespace OrleansRaft.Grains.Peers;

/// <summary>The application state a Raft group replicates. Deterministic: every replica that applies the same
/// entries in the same order ends in the same state and returns the same results.</summary>
public interface IRaftStateMachine
{
    /// <summary>Applies one committed entry (no-ops included) and returns its result for the proposer.</summary>
    byte[] Apply(Entry entry);

    /// <summary>Answers a read-only query from the applied state.</summary>
    byte[] Query(byte[] query);
}
