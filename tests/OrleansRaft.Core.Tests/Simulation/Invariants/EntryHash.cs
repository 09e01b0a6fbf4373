namespace OrleansRaft.Core.Tests.Simulation.Invariants;

/// <summary>
/// 64-bit hashes of entries and of log prefixes. A prefix hash chains every entry up to an index, so two logs
/// with equal chain hashes at index i hold the same entries up to i (barring a 2^-64 collision). That turns
/// Log Matching into one lookup per new entry instead of a comparison of whole logs.
/// </summary>
internal static class EntryHash
{
    public const ulong Empty = 0x9E3779B97F4A7C15UL;

    public static ulong Of(Entry entry)
    {
        // FNV-1a over the payload, then the entry's position and type.
        var hash = 14695981039346656037UL;
        foreach (var b in entry.Data)
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return Mix(Mix(Mix(hash, (ulong)entry.Index), (ulong)entry.Term), (ulong)entry.Type);
    }

    public static ulong Chain(ulong previous, Entry entry) => Mix(previous, Of(entry));

    private static ulong Mix(ulong a, ulong b)
    {
        // SplitMix64 finaliser over the combination: cheap, and every input bit affects every output bit.
        var z = a ^ (b + 0x9E3779B97F4A7C15UL + (a << 6) + (a >> 2));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
