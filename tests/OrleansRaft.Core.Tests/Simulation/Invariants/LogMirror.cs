namespace OrleansRaft.Core.Tests.Simulation.Invariants;

/// <summary>
/// The checker's copy of one node's log with the prefix hash at every index. Syncing compares entries by
/// reference from a hint onwards (entries are immutable records shared between logs and messages), so a step
/// that only appends costs O(new entries).
/// </summary>
internal sealed class LogMirror
{
    private readonly List<Entry> _entries = [];
    private readonly List<ulong> _chain = [];

    public long LastIndex => _entries.Count;

    public Entry EntryAt(long index) => _entries[(int)index - 1];

    public ulong ChainAt(long index) => index == 0 ? EntryHash.Empty : _chain[(int)index - 1];

    /// <summary>Brings the mirror in line with <paramref name="node"/>, trusting that nothing below
    /// <paramref name="from"/> changed. Returns the first index that did change (LastIndex + 1 if none);
    /// every index from there to the end has a new chain hash.</summary>
    public long Sync(RaftNode node, long from)
    {
        if (node.FirstIndex != 1)
            throw new SafetyViolationException(Invariant.NodeContract, $"{node.Id} starts its log at {node.FirstIndex}; the simulator has no snapshots.");
        var same = Math.Min(LastIndex, node.LastIndex);
        var i = Math.Clamp(from, 1, same + 1);
        while (i <= same && ReferenceEquals(_entries[(int)i - 1], node.EntryAt(i))) i++;
        var changed = i;
        if (changed > node.LastIndex && changed > LastIndex) return changed;

        _entries.RemoveRange((int)changed - 1, _entries.Count - ((int)changed - 1));
        _chain.RemoveRange((int)changed - 1, _chain.Count - ((int)changed - 1));
        var hash = ChainAt(changed - 1);
        for (var k = changed; k <= node.LastIndex; k++)
        {
            var entry = node.EntryAt(k)
                ?? throw new SafetyViolationException(Invariant.NodeContract, $"{node.Id} has no entry at {k} below its last index {node.LastIndex}.");
            if (entry.Index != k)
                throw new SafetyViolationException(Invariant.NodeContract, $"{node.Id} holds an entry stamped {entry.Index} at index {k}.");
            hash = EntryHash.Chain(hash, entry);
            _entries.Add(entry);
            _chain.Add(hash);
        }
        return changed;
    }

    public void Clear()
    {
        _entries.Clear();
        _chain.Clear();
    }
}
