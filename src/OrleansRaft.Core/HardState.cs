namespace OrleansRaft.Core;

/// <summary>The state a node must persist before it sends the messages of the same <see cref="Ready"/> (Figure 2, "Persistent state").</summary>
/// <param name="Term">Latest term this node has seen.</param>
/// <param name="Vote">Candidate that received this node's vote in <paramref name="Term"/>, or null.</param>
/// <param name="Commit">Highest index known committed. Persisting it is an optimization: a node that
/// restarts with a lower value relearns it from the leader, so losing it is safe.</param>
public readonly record struct HardState(long Term, string? Vote, long Commit)
{
    public static readonly HardState Empty = new(0, null, 0);
}
