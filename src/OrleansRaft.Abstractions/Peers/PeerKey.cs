namespace OrleansRaft.Peers;

/// <summary>The grain key of a peer: <c>"{group}/{index}"</c>. Group names never contain '/'.</summary>
public readonly record struct PeerKey(string Group, int Index)
{
    public override string ToString() => $"{Group}/{Index}";

    public static PeerKey Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), out var index) || index < 0)
            throw new FormatException($"'{key}' is not a peer key of the form '{{group}}/{{index}}'.");
        return new PeerKey(key[..slash], index);
    }

    /// <summary>The keys of all <paramref name="peers"/> peers of <paramref name="group"/>, in index order.</summary>
    public static string[] AllOf(string group, int peers) =>
        Enumerable.Range(0, peers).Select(i => new PeerKey(group, i).ToString()).ToArray();
}
