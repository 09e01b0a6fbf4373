namespace OrleansRaft.Core.Tests.Simulation.Peers;

/// <summary>
/// What survives a crash of one peer: its hard state and log as of the last completed write. The simulator
/// updates it only when a Ready's persistence step completes, so a crash loses everything still in flight.
/// </summary>
internal sealed class DurableStorage
{
    private readonly List<Entry> _entries = [];

    public HardState HardState { get; private set; } = HardState.Empty;

    public long LastIndex => _entries.Count == 0 ? 0 : _entries[^1].Index;

    public long Writes { get; private set; }

    /// <summary>Writes entries first, then the hard state, which is the order a torn write must respect: a hard
    /// state whose commit index points at entries the write did not reach would commit stale entries.</summary>
    public void Write(HardState? hardState, IReadOnlyList<Entry> entries)
    {
        WriteEntries(entries);
        if (hardState is { } hard) HardState = hard;
        Writes++;
    }

    /// <summary>A write torn by a crash: the entries reached the disk, the hard state did not.</summary>
    public void WriteEntries(IReadOnlyList<Entry> entries)
    {
        if (entries.Count == 0) return;
        var first = entries[0].Index;
        if (first < 1 || first > LastIndex + 1)
            throw new InvalidOperationException($"Ready entries start at {first}, leaving a gap after the durable log's last index {LastIndex}.");
        // The Ready contract: entries overwrite every durable entry at or above the first one.
        _entries.RemoveRange((int)(first - 1), _entries.Count - (int)(first - 1));
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Index != first + i)
                throw new InvalidOperationException($"Ready entries are not contiguous at index {entries[i].Index}.");
            _entries.Add(entries[i]);
        }
    }

    /// <summary>What a restarting node recovers.</summary>
    public PersistedState Load() => new(HardState, [.. _entries]);
}
