namespace OrleansRaft.Core;

/// <summary>The role a node plays in its current term.</summary>
public enum RaftRole : byte
{
    Follower = 0,

    /// <summary>Campaigning without having incremented its term yet (Raft thesis §9.6).</summary>
    PreCandidate = 1,
    Candidate = 2,
    Leader = 3,
}

/// <summary>Volatile state a caller may want to observe; it need not be persisted.</summary>
public readonly record struct SoftState(RaftRole Role, string? Leader, long Term);
