namespace OrleansRaft.Core.Storage;

/// <summary>An in-memory twin of a log store, for tests and simulations.</summary>
public sealed class InMemoryLogStore : ILogStore
{
    private readonly List<Entry> _entries = [];

    public ValueTask<IReadOnlyList<Entry>> LoadAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<Entry>>([.. _entries]);

    public ValueTask AppendAsync(IReadOnlyList<Entry> entries, CancellationToken cancellationToken = default)
    {
        LogStoreRules.CheckAppend(entries, _entries.Count == 0 ? 0 : _entries[0].Index, _entries.Count == 0 ? 0 : _entries[^1].Index);
        if (entries.Count == 0) return ValueTask.CompletedTask;
        var first = entries[0].Index;
        var keep = _entries.Count == 0 ? 0 : (int)Math.Clamp(first - _entries[0].Index, 0, _entries.Count);
        _entries.RemoveRange(keep, _entries.Count - keep);
        _entries.AddRange(entries);
        return ValueTask.CompletedTask;
    }

    public ValueTask CompactAsync(long throughIndex, CancellationToken cancellationToken = default)
    {
        if (_entries.Count > 0)
            _entries.RemoveRange(0, (int)Math.Clamp(throughIndex - _entries[0].Index + 1, 0, _entries.Count));
        return ValueTask.CompletedTask;
    }

    public ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        _entries.Clear();
        return ValueTask.CompletedTask;
    }
}
