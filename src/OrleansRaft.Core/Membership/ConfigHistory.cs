namespace OrleansRaft.Core.Membership;

/// <summary>
/// The configurations a node's log holds: the one in force at its base (the snapshot's, or the bootstrap
/// configuration for a log that starts at index 1) and one per <see cref="EntryType.ConfigChange"/> entry after it.
/// The configuration in force is the latest of them (changes take effect on append, see <see cref="ConfigChange"/>);
/// truncating the log takes the configurations of the truncated entries with it.
/// </summary>
internal sealed class ConfigHistory
{
    private readonly List<(long Index, Configuration Configuration)> _changes = [];
    private Configuration _base;

    public ConfigHistory(Configuration initial) => _base = initial;

    public Configuration Current => _changes.Count == 0 ? _base : _changes[^1].Configuration;

    /// <summary>Index of the latest configuration entry in the log, or 0 when the base is in force.</summary>
    public long LatestIndex => _changes.Count == 0 ? 0 : _changes[^1].Index;

    /// <summary>The configuration in force once the log holds exactly the entries up to <paramref name="index"/>.</summary>
    public Configuration At(long index)
    {
        for (var i = _changes.Count - 1; i >= 0; i--)
            if (_changes[i].Index <= index) return _changes[i].Configuration;
        return _base;
    }

    /// <summary>Records the configuration an appended entry carries, if it carries one.</summary>
    public void OnAppend(Entry entry)
    {
        if (entry.Type == EntryType.ConfigChange) _changes.Add((entry.Index, ConfigChangeCodec.Decode(entry.Data).Result));
    }

    /// <summary>Forgets the configurations of entries at or above <paramref name="index"/>.</summary>
    public void TruncateFrom(long index) => _changes.RemoveAll(c => c.Index >= index);

    /// <summary>A snapshot replaced the log: its configuration is the base, and no entry follows yet.</summary>
    public void ResetTo(Configuration snapshotConfiguration)
    {
        _base = snapshotConfiguration;
        _changes.Clear();
    }

    /// <summary>Compaction discarded the entries up to <paramref name="index"/>: the configuration in force there
    /// becomes the base.</summary>
    public void CompactTo(long index)
    {
        _base = At(index);
        _changes.RemoveAll(c => c.Index <= index);
    }
}
