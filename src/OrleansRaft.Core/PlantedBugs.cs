namespace OrleansRaft.Core;

/// <summary>Known Raft bugs that tests switch on to prove the simulator detects them. Never set in production.</summary>
[Flags]
internal enum PlantedBugs
{
    None = 0,

    /// <summary>Commit an entry of an earlier term by counting replicas (the Figure 8 bug, §5.4.2).</summary>
    CommitPreviousTermByCount = 1,

    /// <summary>Grant votes without checking that the candidate's log is at least as up-to-date (§5.4.1).</summary>
    VoteWithoutUpToDateCheck = 2,

    /// <summary>Forget the persisted vote on restart, so a node can vote twice in one term.</summary>
    ForgetVoteOnRestart = 4,

    /// <summary>A follower acknowledges entries before they are durable.</summary>
    AckBeforePersist = 8,

    /// <summary>Overwrite conflicting entries without truncating the stale suffix after them (§5.3).</summary>
    KeepConflictingSuffix = 16,

    /// <summary>Accept a membership change while an earlier one is still uncommitted.</summary>
    TwoConfigChangesInFlight = 32,

    /// <summary>Let a new leader change the membership before it has committed an entry of its own term.</summary>
    ConfigChangeBeforeTermCommit = 64,

    /// <summary>Ask learners for votes too, and count their votes toward winning an election.</summary>
    CountLearnerVotes = 128,

    /// <summary>Quiesce without checking that every member holds the whole log: the leader quiesces once its own log is
    /// committed, and a follower quiesces on the quiescing heartbeat however far behind it is.</summary>
    QuiesceWhileBehind = 256,

    /// <summary>A quiescent leader serves a read at once, without a heartbeat round, as if a quiet group could not have
    /// elected another leader (it can: its followers wake on client requests and on membership changes).</summary>
    QuiescentReadWithoutRound = 512,
}
