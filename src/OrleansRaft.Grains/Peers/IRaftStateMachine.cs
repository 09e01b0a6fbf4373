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

    /// <summary>Encodes the whole applied state. Deterministic: equal states give equal bytes.</summary>
    byte[] TakeSnapshot();

    /// <summary>Replaces the whole state with a snapshot's; throws <see cref="InvalidDataException"/> for bytes that
    /// are not a snapshot this version can read.</summary>
    void Restore(byte[] snapshot);
}
