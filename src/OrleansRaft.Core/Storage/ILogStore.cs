namespace OrleansRaft.Core.Storage;

/// <summary>Durable home of a node's log entries.</summary>
public interface ILogStore
{
    /// <summary>Every stored entry, contiguous and ascending.</summary>
    ValueTask<IReadOnlyList<Entry>> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Drops every stored entry at or above <c>entries[0].Index</c>, then appends <paramref name="entries"/>;
    /// durable when the returned task completes. Throws <see cref="ArgumentException"/> if that would leave a gap.</summary>
    ValueTask AppendAsync(IReadOnlyList<Entry> entries, CancellationToken cancellationToken = default);
}
