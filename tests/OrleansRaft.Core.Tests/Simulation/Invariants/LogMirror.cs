namespace OrleansRaft.Core.Tests.Simulation.Invariants;

/// <summary>
/// The checker's copy of one node's log with the prefix hash at every index. Syncing compares entries by
/// reference from a hint onwards (entries are immutable records shared between logs and messages), so a step
/// that only appends costs O(new entries). Below the node's first index (compacted away, or replaced by an
/// installed snapshot) the mirror holds only the prefix hash at the snapshot's index, taken from the committed
/// record: a snapshot stands for exactly the committed prefix.
/// </summary>
internal sealed class LogMirror
{
    private readonly List<Entry> _entries = [];
    private readonly List<ulong> _chain = [];

    /// <summary>Indexes of the membership change entries held, ascending.</summary>
    private readonly List<long> _configs = [];
    private long _base;
    private ulong _baseChain = EntryHash.Empty;

    /// <summary>Index before the first entry held: 0, or where the node's snapshot ends.</summary>
    public long Base => _base;

    public long LastIndex => _base + _entries.Count;

    /// <summary>Index of the latest membership change entry held (above <see cref="Base"/>), or 0: the configuration
    /// in force on the node is that entry's, or the one in force at the base.</summary>
    public long LatestConfigIndex => _configs.Count == 0 ? 0 : _configs[^1];

    public Entry EntryAt(long index) => _entries[(int)(index - _base - 1)];

    public ulong ChainAt(long index)
    {
        if (index < _base) throw new InvalidOperationException($"Index {index} is below the mirror's base {_base}.");
        return index == _base ? _baseChain : _chain[(int)(index - _base - 1)];
    }

    /// <summary>Brings the mirror in line with <paramref name="node"/>, trusting that nothing below
    /// <paramref name="from"/> changed (unless the node's first index moved). Returns the first index that did
    /// change (LastIndex + 1 if none); every index from there to the end has a new chain hash.</summary>
    /// <param name="committedChain">The prefix hash committed at an index, or a violation if it is not committed.</param>
    public long Sync(RaftNode node, long from, Func<long, ulong> committedChain)
    {
        var nodeBase = node.FirstIndex - 1;
        if (nodeBase < _base)
            throw new SafetyViolationException(Invariant.NodeContract, $"{node.Id}'s log went back from starting after {_base} to after {nodeBase}.");
        if (nodeBase > _base) from = Math.Min(from, Rebase(node, nodeBase, committedChain(nodeBase)));

        var same = Math.Min(LastIndex, node.LastIndex);
        var i = Math.Clamp(from, _base + 1, same + 1);
        while (i <= same && ReferenceEquals(EntryAt(i), node.EntryAt(i))) i++;
        var changed = i;
        if (changed > node.LastIndex && changed > LastIndex) return changed;

        var keep = (int)(changed - _base - 1);
        _entries.RemoveRange(keep, _entries.Count - keep);
        _chain.RemoveRange(keep, _chain.Count - keep);
        _configs.RemoveAll(index => index >= changed);
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
            if (entry.Type == EntryType.ConfigChange) _configs.Add(k);
        }
        return changed;
    }

    /// <summary>The node's log now starts after <paramref name="nodeBase"/>. Entries the mirror holds above it keep
    /// their hashes only if the mirror's prefix there is the committed one (plain compaction); otherwise the node
    /// installed a snapshot over a different log, and everything above is re-read. Returns where to re-read from.</summary>
    private long Rebase(RaftNode node, long nodeBase, ulong committed)
    {
        var keepsPrefix = nodeBase <= LastIndex && ChainAt(nodeBase) == committed;
        var drop = keepsPrefix ? (int)(nodeBase - _base) : _entries.Count;
        _entries.RemoveRange(0, drop);
        _chain.RemoveRange(0, drop);
        _configs.RemoveAll(index => index <= nodeBase || !keepsPrefix);
        _base = nodeBase;
        _baseChain = committed;
        return keepsPrefix ? LastIndex + 1 : nodeBase + 1;
    }

    public void Clear()
    {
        _entries.Clear();
        _chain.Clear();
        _configs.Clear();
        _base = 0;
        _baseChain = EntryHash.Empty;
    }
}
