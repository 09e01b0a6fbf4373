namespace OrleansRaft.Core.Tracking;

internal enum ProgressState : byte
{
    /// <summary>The leader does not know where the follower's log matches: one append at a time.</summary>
    Probe,

    /// <summary>The follower's log is known to match up to Match: appends are pipelined.</summary>
    Replicate,
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

    /// <summary>Highest ReadIndex round this follower has acknowledged in the current term.</summary>
    public long ReadRoundAcked { get; set; }

    public Inflights Inflights { get; } = new(maxInflight);

    public bool IsPaused => State == ProgressState.Probe ? ProbeSent : Inflights.Full;

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
        ProbeSent = false;
        Inflights.Reset();
        Next = Math.Max(next, Match + 1);
    }

    public void BecomeReplicate()
    {
        State = ProgressState.Replicate;
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
