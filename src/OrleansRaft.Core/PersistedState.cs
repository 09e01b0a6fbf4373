namespace OrleansRaft.Core;

/// <summary>What a node recovers from storage when it restarts: the last durable hard state and log.</summary>
public sealed record PersistedState(HardState HardState, IReadOnlyList<Entry> Entries)
{
    public static readonly PersistedState Empty = new(HardState.Empty, []);
}
