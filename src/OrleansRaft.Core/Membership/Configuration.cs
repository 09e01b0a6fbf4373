namespace OrleansRaft.Core.Membership;

/// <summary>
/// Who belongs to a group: the voters, whose majority elects leaders and commits entries, and the learners, which
/// receive the log and snapshots but never vote and never count toward commit (thesis §4.2.1). Peer ids are kept
/// sorted (ordinal), so that two equal configurations are equal element by element and encode to the same bytes.
/// </summary>
/// <remarks>Invariant: no peer is both a voter and a learner, and no id appears twice.</remarks>
public sealed class Configuration : IEquatable<Configuration>
{
    public static readonly Configuration Empty = new([], []);

    public Configuration(IEnumerable<string> voters, IEnumerable<string> learners)
    {
        ArgumentNullException.ThrowIfNull(voters);
        ArgumentNullException.ThrowIfNull(learners);
        Voters = Sorted(voters, nameof(voters));
        Learners = Sorted(learners, nameof(learners));
        foreach (var learner in Learners)
            if (IsVoter(learner)) throw new ArgumentException($"'{learner}' cannot be both a voter and a learner.", nameof(learners));
    }

    public IReadOnlyList<string> Voters { get; }

    public IReadOnlyList<string> Learners { get; }

    /// <summary>Voters, then learners.</summary>
    public IEnumerable<string> Members => Voters.Concat(Learners);

    public bool IsVoter(string peer) => Voters.Contains(peer, StringComparer.Ordinal);

    public bool IsLearner(string peer) => Learners.Contains(peer, StringComparer.Ordinal);

    public bool Contains(string peer) => IsVoter(peer) || IsLearner(peer);

    public bool Equals(Configuration? other) =>
        other is not null
        && Voters.SequenceEqual(other.Voters, StringComparer.Ordinal)
        && Learners.SequenceEqual(other.Learners, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as Configuration);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var voter in Voters) hash.Add(voter, StringComparer.Ordinal);
        hash.Add('|');
        foreach (var learner in Learners) hash.Add(learner, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        Learners.Count == 0 ? $"voters [{string.Join(", ", Voters)}]" : $"voters [{string.Join(", ", Voters)}] learners [{string.Join(", ", Learners)}]";

    private static string[] Sorted(IEnumerable<string> peers, string name)
    {
        var sorted = peers.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        for (var i = 0; i < sorted.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(sorted[i])) throw new ArgumentException("A peer id cannot be empty.", name);
            if (i > 0 && sorted[i] == sorted[i - 1]) throw new ArgumentException($"'{sorted[i]}' appears twice.", name);
        }
        return sorted;
    }
}
