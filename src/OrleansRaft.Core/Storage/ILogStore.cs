namespace OrleansRaft.Core.Storage;

/// <summary>Durable home of a node's log entries.</summary>
public interface ILogStore
{
    /// <summary>Every stored entry, contiguous and ascending (the first may be above 1 once compacted).</summary>
    ValueTask<IReadOnlyList<Entry>> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Drops every stored entry at or above <c>entries[0].Index</c>, then appends <paramref name="entries"/>;
    /// durable when the returned task completes. Into an empty store any first index goes; otherwise throws
    /// <see cref="ArgumentException"/> if that would leave a gap or reach below the first stored entry.</summary>
    ValueTask AppendAsync(IReadOnlyList<Entry> entries, CancellationToken cancellationToken = default);

    /// <summary>Drops every stored entry at or below <paramref name="throughIndex"/>, which a durable snapshot
    /// covers; keeps the rest. The cost must not grow with the number of entries ever stored.</summary>
    ValueTask CompactAsync(long throughIndex, CancellationToken cancellationToken = default);

    /// <summary>Drops every stored entry: a snapshot installed from the leader replaced the whole log. The next
    /// append may start at any index.</summary>
    ValueTask ClearAsync(CancellationToken cancellationToken = default);
}
