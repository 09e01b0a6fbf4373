using OrleansRaft.Core.Tracking;

namespace OrleansRaft.Core;

/// <summary>
/// ReadIndex (thesis §6.4): a read is linearizable once the leader (1) has committed an entry of its own
/// term, (2) has confirmed with a majority, after the read arrived, that it is still leader, and (3) has
/// applied up to the commit index it noted. No log entry is written. Reads are batched: all reads that
/// arrive while one confirmation round is in flight share the next round.
/// </summary>
public sealed partial class RaftNode
{
    private readonly record struct PendingRead(long Context, long Index, long Round);

    private readonly Queue<PendingRead> _pendingReads = new();
    private readonly List<ReadState> _confirmedReads = [];
    private readonly List<long> _abortedReads = [];

    /// <summary>Last read round broadcast in this term.</summary>
    private long _readRound;

    /// <summary>Some pending read waits for round _readRound + 1, which has not been broadcast yet.</summary>
    private bool _readRoundQueued;

    /// <summary>Asks for a linearizable read identified by <paramref name="context"/>. Only a leader accepts;
    /// the answer arrives in a later <see cref="Ready"/> as a <see cref="ReadState"/> or an aborted context.</summary>
    public ReadIndexResult ReadIndex(long context)
    {
        if (ServeQuiescentRead(context)) return new ReadIndexResult(RejectReason.None, Id);
        WakeForRequest();
        if (Role != RaftRole.Leader) return new ReadIndexResult(RejectReason.NotLeader, Leader);

        var idle = ConfirmedReadRound() >= _readRound && !_readRoundQueued;
        _readRoundQueued = true;
        var index = CommittedInCurrentTerm() ? _log.Committed : 0;
        _pendingReads.Enqueue(new PendingRead(context, index, _readRound + 1));
        if (idle) BroadcastHeartbeat();
        ReleaseConfirmedReads();
        return new ReadIndexResult(RejectReason.None, Id);
    }

    private bool CommittedInCurrentTerm() => _log.TermAt(_log.Committed) == Term;

    private void StartQueuedReadRound()
    {
        if (!_readRoundQueued) return;
        _readRoundQueued = false;
        _readRound++;
    }

    /// <summary>The highest round a majority (this leader included) has acknowledged.</summary>
    private long ConfirmedReadRound()
    {
        var configuration = Configuration;
        Span<long> rounds = stackalloc long[configuration.Voters.Count];
        var i = 0;
        foreach (var voter in configuration.Voters)
            rounds[i++] = voter == Id ? _readRound : _progress.TryGetValue(voter, out var progress) ? progress.ReadRoundAcked : 0;
        return Quorum.MajorityValue(rounds);
    }

    private void AcknowledgeReadRound(Progress progress, long round)
    {
        if (round <= progress.ReadRoundAcked) return;
        progress.ReadRoundAcked = round;
        ReleaseConfirmedReads();
        if (_readRoundQueued && ConfirmedReadRound() >= _readRound) BroadcastHeartbeat();
    }

    private void ReleaseConfirmedReads()
    {
        if (!CommittedInCurrentTerm()) return;
        var confirmed = ConfirmedReadRound();
        while (_pendingReads.TryPeek(out var read) && read.Round <= confirmed)
        {
            _pendingReads.Dequeue();
            _confirmedReads.Add(new ReadState(read.Context, read.Index > 0 ? read.Index : _log.Committed));
        }
    }

    private void OnCommitAdvanced() => ReleaseConfirmedReads();

    private void AbortAllReads()
    {
        while (_pendingReads.TryDequeue(out var read)) _abortedReads.Add(read.Context);
        _readRoundQueued = false;
    }

    private void ResetReads()
    {
        _pendingReads.Clear();
        _readRound = 0;
        _readRoundQueued = false;
    }
}
