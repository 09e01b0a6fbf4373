namespace OrleansRaft.Testing.Linearizability;

/// <summary>A fixed-size set of operation ids: which operations the search has linearized so far.</summary>
internal sealed class Bitset : IEquatable<Bitset>
{
    private readonly ulong[] _words;

    public Bitset(int size) => _words = new ulong[(size + 63) / 64];

    private Bitset(ulong[] words) => _words = words;

    public Bitset Clone() => new((ulong[])_words.Clone());

    public void Set(int bit) => _words[bit >> 6] |= 1UL << (bit & 63);

    public void Clear(int bit) => _words[bit >> 6] &= ~(1UL << (bit & 63));

    public int Count()
    {
        var count = 0;
        foreach (var word in _words) count += System.Numerics.BitOperations.PopCount(word);
        return count;
    }

    public bool Equals(Bitset? other) => other is not null && _words.AsSpan().SequenceEqual(other._words);

    public override bool Equals(object? obj) => Equals(obj as Bitset);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var word in _words) hash.Add(word);
        return hash.ToHashCode();
    }
}
