namespace OrleansRaft.Core.Tracking;

internal enum ProgressState : byte
{
    /// <summary>The leader does not know where the follower's log matches: one append at a time.</summary>
    Probe,

    /// <summary>The follower's log is known to match up to Match: appends are pipelined.</summary>
    Replicate,

    /// <summary>The follower needs entries the leader compacted away: it is sent the snapshot, chunk by chunk,
    /// and nothing else until it has installed it.</summary>
    Snapshot,
}

/// <summary>A leader's view of one follower (Figure 2, nextIndex and matchIndex).</summary>
/// <remarks>Invariant: 0 &lt;= Match &lt; Next.</remarks>
internal sealed class Progress(long next, int maxInflight)
{
    public long Match { get; private set; }

    public long Next { get; set; } = next;

    public ProgressState State { get; private set; } = ProgressState.Probe;

    /// <summary>In Probe state, an append is outstanding: wait for its reply or a heartbeat reply.</summary>
    public bool ProbeSent { get; set; }

    /// <summary>Heard from since the last CheckQuorum round.</summary>
    public bool RecentActive { get; set; }

    /// <summary>Heard from in the CheckQuorum round before this one: with <see cref="RecentActive"/>, whether the
    /// follower answered within about the last election timeout (a membership change must not count on one that did not).</summary>
    public bool WasActive { get; set; }

    /// <summary>A learner: replicated to like any follower, never counted toward commit, reads or CheckQuorum.</summary>
    public bool IsLearner { get; set; }

    public bool Responsive => RecentActive || WasActive;

    /// <summary>Highest ReadIndex round this follower has acknowledged in the current term.</summary>
    public long ReadRoundAcked { get; set; }

    public Inflights Inflights { get; } = new(maxInflight);

    /// <summary>In Snapshot state: index of the snapshot being sent.</summary>
    public long PendingSnapshot { get; private set; }

    /// <summary>In Snapshot state: the offset the follower last asked for (where to resume after a lost chunk).</summary>
    public long SnapshotOffset { get; set; }

    /// <summary>In Snapshot state: where the chunk sent last ends; only the answer asking for this offset sends the next.</summary>
    public long SnapshotSentEnd { get; set; }

    /// <summary>In Snapshot state: a chunk went out since the last heartbeat answer, so the transfer is not stalled.</summary>
    public bool SnapshotProgressed { get; set; }

    public bool IsPaused => State switch
    {
        ProgressState.Probe => ProbeSent,
        ProgressState.Replicate => Inflights.Full,
        _ => true,
    };

    /// <summary>Raises Match (and Next with it) if <paramref name="index"/> is news. Returns whether Match moved.</summary>
    public bool MaybeUpdate(long index)
    {
        var updated = false;
        if (Match < index)
        {
            Match = index;
            updated = true;
            ProbeSent = false;
        }
        Next = Math.Max(Next, index + 1);
        return updated;
    }

    public void BecomeProbe(long next)
    {
        State = ProgressState.Probe;
        PendingSnapshot = 0;
        ProbeSent = false;
        Inflights.Reset();
        Next = Math.Max(next, Match + 1);
    }

    public void BecomeSnapshot(long snapshotIndex)
    {
        State = ProgressState.Snapshot;
        ProbeSent = false;
        Inflights.Reset();
        PendingSnapshot = snapshotIndex;
        SnapshotOffset = 0;
        SnapshotSentEnd = 0;
    }

    public void BecomeReplicate()
    {
        State = ProgressState.Replicate;
        PendingSnapshot = 0;
        ProbeSent = false;
        Inflights.Reset();
        Next = Match + 1;
    }

    /// <summary>Records that an append ending at <paramref name="lastIndex"/> was sent.</summary>
    public void SentEntries(long lastIndex, int count)
    {
        if (State == ProgressState.Replicate)
        {
            if (count > 0)
            {
                Next = lastIndex + 1;
                Inflights.Add(lastIndex);
            }
        }
        else
        {
            ProbeSent = true;
        }
    }
}
