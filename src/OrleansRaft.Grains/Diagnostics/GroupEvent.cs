namespace OrleansRaft.Grains.Diagnostics;

/// <summary>Something a group's history shows: an election a local peer started, or a leader a local peer learned of.</summary>
public enum GroupEventKind : byte
{
    ElectionStarted = 0,
    LeaderElected = 1,
}

/// <summary>One entry of a group's recent history, as a peer on this silo saw it.</summary>
public sealed record GroupEvent(DateTimeOffset At, GroupEventKind Kind, string Peer, long Term, string? Leader);

/// <summary>A group's commit index at one moment: two samples give a commit rate.</summary>
public readonly record struct CommitSample(DateTimeOffset At, long CommitIndex);
