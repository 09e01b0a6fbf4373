namespace OrleansRaft.Peers;

/// <summary>
/// The grain key of a peer: <c>"{group}/{index}"</c> for the peers a group was bootstrapped with (their nodes come
/// from the group's options), <c>"{group}/{index}@{node}"</c> for a peer added later by a membership change, whose
/// key names its node so that every silo can place it and find it without asking anyone. Group names never
/// contain '/', node names never contain '@'.
/// </summary>
/// <remarks>An added peer's index is the leader's last log index plus one when it was allocated: greater than every
/// committed index at that time, so never the index of a peer that was ever committed to the configuration. A peer id
/// is never reused: a stale message from a removed peer can never be taken for one from a new one.</remarks>
public readonly record struct PeerKey(string Group, int Index, string? Node = null)
{
    public override string ToString() => Node is null ? $"{Group}/{Index}" : $"{Group}/{Index}@{Node}";

    /// <summary>Whether the peer was added by a membership change (its key names its node).</summary>
    public bool IsAdded => Node is not null;

    public static PeerKey Parse(string key)
    {
        if (!TryParse(key, out var parsed))
            throw new FormatException($"'{key}' is not a peer key of the form '{{group}}/{{index}}' or '{{group}}/{{index}}@{{node}}'.");
        return parsed;
    }

    public static bool TryParse(string? key, out PeerKey parsed)
    {
        parsed = default;
        if (key is null) return false;
        var slash = key.LastIndexOf('/');
        if (slash <= 0) return false;
        var rest = key.AsSpan(slash + 1);
        string? node = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            node = rest[(at + 1)..].ToString();
            if (node.Length == 0) return false;
            rest = rest[..at];
        }
        if (!int.TryParse(rest, System.Globalization.NumberStyles.None, null, out var index)) return false;
        parsed = new PeerKey(key[..slash], index, node);
        return true;
    }

    /// <summary>The keys of all <paramref name="peers"/> bootstrap peers of <paramref name="group"/>, in index order.</summary>
    public static string[] AllOf(string group, int peers) =>
        Enumerable.Range(0, peers).Select(i => new PeerKey(group, i).ToString()).ToArray();
}
