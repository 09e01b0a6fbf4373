using OrleansRaft.Core.Membership;

namespace OrleansRaft.Core;

/// <summary>
/// The in-memory log of one node, with the marks that tie it to storage and the state machine.
/// </summary>
/// <remarks>
/// Invariant: <c>Applied &lt;= Applying &lt;= Committed &lt;= LastIndex</c>, and <c>Stabled &lt;= LastIndex</c>.
/// Entries above <see cref="Stabled"/> are not durable yet: they are handed to the caller in a Ready.
/// </remarks>
internal sealed class RaftLog
{
    private readonly List<Entry> _entries = [];
    private readonly ConfigHistory _configs;

    /// <summary>Index of the entry just before the first one held: 0, or the index up to which a snapshot
    /// replaced the log.</summary>
    private long _offset;
    private long _offsetTerm;

    /// <param name="persisted">Entries held after <paramref name="snapshotIndex"/>, contiguous from it.</param>
    /// <param name="baseConfiguration">The configuration in force at <paramref name="snapshotIndex"/>.</param>
    public RaftLog(IReadOnlyList<Entry> persisted, long committed, Configuration baseConfiguration, long snapshotIndex = 0, long snapshotTerm = 0)
    {
        _configs = new ConfigHistory(baseConfiguration);
        _offset = snapshotIndex;
        _offsetTerm = snapshotTerm;
        for (var i = 0; i < persisted.Count; i++)
        {
            var expected = _offset + 1 + i;
            if (persisted[i].Index != expected)
                throw new InvalidOperationException($"Persisted log is not contiguous: expected index {expected}, found {persisted[i].Index}.");
            _entries.Add(persisted[i]);
            _configs.OnAppend(persisted[i]);
        }
        Stabled = LastIndex;
        Committed = Math.Clamp(committed, snapshotIndex, LastIndex);
        Applying = Applied = snapshotIndex;
    }

    /// <summary>
    /// The log a restarting node can trust, from what storage holds. Entries the snapshot covers are dropped. The
    /// entries after it are kept only if they continue the snapshot: the stored log holds the snapshot's own entry
    /// (same index and term), or starts right after it. Anything else is the remains of a log that an installed
    /// snapshot replaced (a crash between saving the snapshot and clearing the log) and is dropped: keeping it
    /// would splice entries written after a different prefix onto the snapshot.
    /// </summary>
    /// <param name="storeIsStale">Set when the stored log does not continue the snapshot, so that storage must be
    /// cleared before entries after the snapshot can be appended to it.</param>
    /// <param name="bootstrap">The configuration in force before the first entry, for a log no snapshot replaced.</param>
    public static RaftLog Recover(Snapshot? snapshot, IReadOnlyList<Entry> stored, long committed, Configuration bootstrap, out bool storeIsStale)
    {
        storeIsStale = false;
        if (snapshot is null)
        {
            if (stored.Count > 0 && stored[0].Index != 1)
                throw new InvalidOperationException($"Persisted log starts at index {stored[0].Index} but there is no snapshot to cover the entries before it.");
            return new RaftLog(stored, committed, bootstrap);
        }
        var after = new List<Entry>();
        if (stored.Count > 0)
        {
            var first = stored[0].Index;
            if (first > snapshot.Index + 1)
                throw new InvalidOperationException($"Persisted log starts at index {first}, leaving a gap after the snapshot at index {snapshot.Index}.");
            var continues = first == snapshot.Index + 1
                || (snapshot.Index <= stored[^1].Index && stored[(int)(snapshot.Index - first)].Term == snapshot.Term);
            storeIsStale = !continues;
            if (continues)
                for (var i = (int)Math.Max(0, snapshot.Index + 1 - first); i < stored.Count; i++) after.Add(stored[i]);
        }
        return new RaftLog(after, Math.Max(committed, snapshot.Index), snapshot.Configuration ?? bootstrap, snapshot.Index, snapshot.Term);
    }

    public long Committed { get; private set; }

    /// <summary>The configurations this log holds; <see cref="ConfigHistory.Current"/> is the one in force.</summary>
    public ConfigHistory Configs => _configs;

    /// <summary>Committed entries up to here have been handed out in a Ready.</summary>
    public long Applying { get; set; }

    /// <summary>Committed entries up to here have been applied (acknowledged by Advance).</summary>
    public long Applied { get; set; }

    /// <summary>Entries up to here are durable.</summary>
    public long Stabled { get; private set; }

    public long FirstIndex => _offset + 1;

    public long LastIndex => _offset + _entries.Count;

    public long LastTerm => TermAt(LastIndex);

    public int Count => _entries.Count;

    /// <summary>Term of the entry at <paramref name="index"/>; 0 for index 0; -1 when this log does not hold it.</summary>
    public long TermAt(long index)
    {
        if (index == _offset) return _offsetTerm;
        if (index < _offset || index > LastIndex) return -1;
        return _entries[(int)(index - _offset - 1)].Term;
    }

    public Entry EntryAt(long index) => _entries[(int)(index - _offset - 1)];

    /// <summary>Whether the entry itself (not only its term) is held: above the compacted prefix, at most the last.</summary>
    public bool Holds(long index) => index > _offset && index <= LastIndex;

    public bool MatchTerm(long index, long term) => TermAt(index) == term;

    /// <summary>§5.4.1: a candidate's log is at least as up-to-date as ours if its last term is later,
    /// or the same with an index at least as high.</summary>
    public bool IsUpToDate(long lastIndex, long lastTerm) =>
        lastTerm > LastTerm || (lastTerm == LastTerm && lastIndex >= LastIndex);

    /// <summary>Entries in [<paramref name="from"/>, <paramref name="to"/>], stopping once <paramref name="maxBytes"/>
    /// is reached (at least one entry is always returned when the range is not empty).</summary>
    /// <remarks>Hot path (every Ready and every append): counts first, then copies the run in one block into a
    /// list of exactly that size, rather than growing a list entry by entry.</remarks>
    public List<Entry> Slice(long from, long to, long maxBytes)
    {
        if (from > to) return [];
        var start = (int)(from - _offset - 1);
        var count = (int)(to - from + 1);
        if (maxBytes != long.MaxValue)
        {
            long bytes = _entries[start].Size;
            var fit = 1;
            while (fit < count && (bytes += _entries[start + fit].Size) <= maxBytes) fit++;
            count = fit;
        }
        return _entries.GetRange(start, count);
    }

    public void Append(Entry entry)
    {
        if (entry.Index != LastIndex + 1)
            throw new InvalidOperationException($"Append at index {entry.Index} after last index {LastIndex}.");
        _entries.Add(entry);
        _configs.OnAppend(entry);
    }

    /// <summary>
    /// Follower side of AppendEntries once (prevIndex, prevTerm) matched: skips entries already held,
    /// truncates at the first conflict (§5.3, step 3) and appends the rest. Returns the last new index.
    /// </summary>
    public long AppendAfter(long prevIndex, IReadOnlyList<Entry> entries, bool keepConflictingSuffix)
    {
        var k = 0;
        while (k < entries.Count && MatchTerm(entries[k].Index, entries[k].Term)) k++;
        if (k < entries.Count)
        {
            var conflictAt = entries[k].Index;
            if (conflictAt <= Committed)
                throw new InvalidOperationException($"Conflict at committed index {conflictAt} (committed {Committed}).");
            if (keepConflictingSuffix)
            {
                // Planted bug: overwrite in place and keep whatever stale entries follow.
                for (; k < entries.Count && entries[k].Index <= LastIndex; k++)
                    _entries[(int)(entries[k].Index - _offset - 1)] = entries[k];
                Stabled = Math.Min(Stabled, conflictAt - 1);
                _configs.TruncateFrom(conflictAt);
                for (var i = conflictAt; i <= LastIndex; i++) _configs.OnAppend(EntryAt(i));
            }
            else
            {
                TruncateFrom(conflictAt);
            }
            for (; k < entries.Count; k++) Append(entries[k]);
        }
        return prevIndex + entries.Count;
    }

    private void TruncateFrom(long index)
    {
        if (index > LastIndex) return;
        var keep = (int)(index - _offset - 1);
        _entries.RemoveRange(keep, _entries.Count - keep);
        Stabled = Math.Min(Stabled, index - 1);
        _configs.TruncateFrom(index);
    }

    /// <summary>Entries above <see cref="Stabled"/>: the caller must persist them.</summary>
    public List<Entry>? Unstable() => Stabled < LastIndex ? Slice(Stabled + 1, LastIndex, long.MaxValue) : null;

    /// <summary>Marks entries durable up to (index, term) unless the log has since changed at that index.</summary>
    public void StableTo(long index, long term)
    {
        if (index > Stabled && MatchTerm(index, term)) Stabled = index;
    }

    public void CommitTo(long index)
    {
        if (index > Committed)
        {
            if (index > LastIndex)
                throw new InvalidOperationException($"Commit index {index} is beyond the last index {LastIndex}.");
            Committed = index;
        }
    }

    /// <summary>First index of the run of entries with the same term as the entry at <paramref name="index"/>.</summary>
    public long FirstIndexOfTermAt(long index)
    {
        var term = TermAt(index);
        var i = index;
        while (i - 1 > _offset && TermAt(i - 1) == term) i--;
        return i;
    }

    /// <summary>Last index holding <paramref name="term"/> at or below <paramref name="atMost"/>, or 0 if none.</summary>
    public long LastIndexOfTerm(long term, long atMost)
    {
        for (var i = Math.Min(atMost, LastIndex); i > _offset; i--)
        {
            var t = TermAt(i);
            if (t == term) return i;
            if (t < term) return 0;
        }
        return 0;
    }

    /// <summary>Discards the entries up to <paramref name="index"/> (at most what is applied): a snapshot covers them.</summary>
    public void CompactTo(long index)
    {
        if (index <= _offset) return;
        if (index > Applied)
            throw new InvalidOperationException($"Cannot compact through index {index}: only {Applied} is applied.");
        _offsetTerm = TermAt(index);
        _entries.RemoveRange(0, (int)(index - _offset));
        _offset = index;
        _configs.CompactTo(index);
    }

    /// <summary>Replaces the whole log with a snapshot from the leader: everything up to its index is committed
    /// and will be applied by restoring it.</summary>
    public void RestoreFrom(Snapshot snapshot)
    {
        _entries.Clear();
        _configs.ResetTo(snapshot.Configuration ?? throw new InvalidOperationException($"{snapshot} carries no configuration."));
        _offset = snapshot.Index;
        _offsetTerm = snapshot.Term;
        Stabled = snapshot.Index;
        Committed = snapshot.Index;
        Applying = snapshot.Index;
    }
}
