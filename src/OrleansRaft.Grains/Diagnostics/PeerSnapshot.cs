using OrleansRaft.Core;

namespace OrleansRaft.Grains.Diagnostics;

/// <summary>A peer's state at one moment, copied out of its activation so that gauges and the live view can read it
/// from any thread: the node itself belongs to the activation's turn and is never read from outside.</summary>
public sealed record PeerSnapshot(
    string Group,
    string Peer,
    RaftRole Role,
    long Term,
    string? Leader,
    long CommitIndex,
    long AppliedIndex,
    long LastIndex,
    int PendingProposals,
    IReadOnlyList<FollowerLag> Followers,
    DateTimeOffset Taken)
{
    public bool HasLeader => Leader is not null;

    public bool IsLeader => Role == RaftRole.Leader;

    /// <summary>Entries committed but not yet applied here.</summary>
    public long AppliedLag => Math.Max(0, CommitIndex - AppliedIndex);

    internal static PeerSnapshot Of(string group, RaftNode node, int pendingProposals, TimeProvider clock)
    {
        var followers = node.Role == RaftRole.Leader
            ? node.Followers.Select(f => new FollowerLag(f.Peer, f.Match, f.Next, Math.Max(0, node.LastIndex - f.Match), f.Responsive)).ToArray()
            : [];
        return new PeerSnapshot(group, node.Id, node.Role, node.Term, node.Leader, node.CommitIndex, node.AppliedIndex, node.LastIndex,
            pendingProposals, followers, clock.GetUtcNow());
    }
}

/// <summary>The leader's view of one follower: how far its log matches, what it sends next, and how far behind it is.</summary>
public sealed record FollowerLag(string Peer, long Match, long Next, long Lag, bool Responsive);
