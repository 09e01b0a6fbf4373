namespace OrleansRaft.Core;

/// <summary>What a node recovers from storage when it restarts: the last durable hard state, snapshot and log.</summary>
/// <param name="Entries">The stored log, contiguous and ascending. With a snapshot it may still hold entries the
/// snapshot covers, or, after a crash in the middle of installing a snapshot, entries of a log the snapshot
/// replaced: the node keeps only what is consistent with the snapshot (see <see cref="RaftNode"/>'s constructor).</param>
public sealed record PersistedState(HardState HardState, IReadOnlyList<Entry> Entries, Snapshot? Snapshot = null)
{
    public static readonly PersistedState Empty = new(HardState.Empty, []);
}
