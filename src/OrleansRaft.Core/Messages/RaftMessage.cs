namespace OrleansRaft.Core.Messages;

/// <summary>A one-way message between two peers of a group. Replies are messages too: nobody waits for one.</summary>
/// <remarks>The network may drop, duplicate, delay and reorder messages; the algorithm tolerates all four.</remarks>
public abstract record RaftMessage(string From, string To, long Term);

/// <summary>RequestVote (§5.2), or its PreVote rehearsal when <paramref name="PreVote"/> is set (thesis §9.6):
/// a PreVote carries the term the candidate would campaign in, without having adopted it.</summary>
/// <param name="LeaderTransfer">The candidate campaigns because the leader told it to (<see cref="TimeoutNow"/>):
/// voters grant it despite having heard from that leader within the election timeout (thesis §3.10).</param>
public sealed record RequestVote(string From, string To, long Term, long LastLogIndex, long LastLogTerm, bool PreVote, bool LeaderTransfer = false)
    : RaftMessage(From, To, Term);

/// <summary>Leadership transfer (thesis §3.10): the leader, having brought the receiver's log up to date, tells it to
/// start an election at once, skipping PreVote.</summary>
public sealed record TimeoutNow(string From, string To, long Term) : RaftMessage(From, To, Term);

/// <summary>Answer to <see cref="RequestVote"/>.</summary>
public sealed record RequestVoteReply(string From, string To, long Term, bool Granted, bool PreVote)
    : RaftMessage(From, To, Term);

/// <summary>AppendEntries (§5.3): entries that follow (<paramref name="PrevLogIndex"/>, <paramref name="PrevLogTerm"/>).</summary>
public sealed record AppendEntries(
    string From, string To, long Term, long PrevLogIndex, long PrevLogTerm, IReadOnlyList<Entry> Entries, long LeaderCommit)
    : RaftMessage(From, To, Term);

/// <summary>Answer to <see cref="AppendEntries"/>.</summary>
/// <param name="Index">On success, the last index known to match the leader's log; on rejection, the
/// PrevLogIndex that was rejected (so the leader can tell a stale rejection from a current one).</param>
/// <param name="ConflictTerm">On rejection, the term of the follower's entry at PrevLogIndex, or 0 if its log is shorter.</param>
/// <param name="ConflictIndex">On rejection, the first index the follower holds with <paramref name="ConflictTerm"/>,
/// or its last index + 1 when its log is shorter. This lets the leader skip a whole term per round trip.</param>
public sealed record AppendEntriesReply(
    string From, string To, long Term, bool Success, long Index, long ConflictTerm, long ConflictIndex)
    : RaftMessage(From, To, Term);

/// <summary>A leader's keep-alive. <paramref name="Commit"/> never exceeds what the receiver is known to hold;
/// <paramref name="ReadRound"/> lets the leader confirm leadership for ReadIndex (thesis §6.4).</summary>
/// <param name="Quiesce">The leader's last heartbeat before the group goes quiet: every member holds its whole log,
/// all of it committed at <paramref name="Commit"/> (see <c>RaftNode.Quiesce.cs</c>). Not answered when the receiver
/// quiesces too.</param>
public sealed record Heartbeat(string From, string To, long Term, long Commit, long ReadRound, bool Quiesce = false)
    : RaftMessage(From, To, Term);

/// <summary>Answer to <see cref="Heartbeat"/>, echoing its read round.</summary>
/// <param name="Quiesce">Answers a quiescing heartbeat: the follower did not quiesce (its log does not end at the
/// leader's commit index), and the leader must wake to catch it up.</param>
public sealed record HeartbeatReply(string From, string To, long Term, long ReadRound, bool Quiesce = false)
    : RaftMessage(From, To, Term);

/// <summary>One chunk of the leader's snapshot for a follower whose next entry the leader no longer holds (§7).
/// Chunks go one at a time, each at the offset the follower asked for, so a lost or duplicated chunk only makes
/// the leader send the one the follower still needs.</summary>
/// <param name="Offset">Position of <paramref name="Data"/> in the snapshot's bytes.</param>
/// <param name="Done">This chunk ends the snapshot.</param>
/// <param name="Configuration">The configuration in force at the snapshot's index; null only from a version that
/// predates membership changes (the bootstrap configuration).</param>
public sealed record InstallSnapshot(
    string From, string To, long Term, long SnapshotIndex, long SnapshotTerm, long Offset, byte[] Data, bool Done,
    Membership.Configuration? Configuration = null)
    : RaftMessage(From, To, Term);

/// <summary>Answer to an <see cref="InstallSnapshot"/> chunk that did not complete a snapshot: the offset the
/// follower wants next (0 to start over). A completed snapshot is answered with an <see cref="AppendEntriesReply"/>
/// for its index, once it is durable.</summary>
public sealed record InstallSnapshotReply(string From, string To, long Term, long SnapshotIndex, long NextOffset)
    : RaftMessage(From, To, Term);
