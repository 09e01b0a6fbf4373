namespace OrleansRaft.Core.Storage;

/// <summary>The argument checks every <see cref="ILogStore"/> applies, so that all implementations refuse the same input.</summary>
public static class LogStoreRules
{
    /// <param name="entries">The batch to append.</param>
    /// <param name="storedFirst">First stored index, or 0 when empty.</param>
    /// <param name="storedLast">Last stored index, or 0 when empty.</param>
    public static void CheckAppend(IReadOnlyList<Entry> entries, long storedFirst, long storedLast)
    {
        ArgumentNullException.ThrowIfNull(entries);
        for (var i = 1; i < entries.Count; i++)
        {
            if (entries[i].Index != entries[i - 1].Index + 1)
                throw new ArgumentException($"Entries are not contiguous at index {entries[i].Index}.", nameof(entries));
        }
        if (entries.Count == 0) return;
        var first = entries[0].Index;
        if (first < 1)
            throw new ArgumentException($"Entry index {first} is below 1.", nameof(entries));
        var expectedFirst = storedLast == 0 ? first : storedFirst;
        if (first > storedLast + 1 && storedLast != 0 || first < expectedFirst)
            throw new ArgumentException($"Appending at index {first} would leave a gap (stored {storedFirst}..{storedLast}).", nameof(entries));
    }
}
