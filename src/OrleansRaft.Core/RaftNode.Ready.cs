namespace OrleansRaft.Core;

public sealed partial class RaftNode
{
    /// <summary>Whether <see cref="GetReady"/> has work to hand out. False while a Ready awaits <see cref="Advance"/>.</summary>
    public bool HasReady =>
        !_readyOutstanding && (
            (_broadcastPending && Role == RaftRole.Leader)
            || _outbox.Count > 0
            || _snapshotToInstall is not null
            || CurrentHardState != _lastHardState
            || _log.Stabled < _log.LastIndex
            || _log.Committed > _log.Applying
            || _confirmedReads.Count > 0
            || _abortedReads.Count > 0);

    /// <summary>Hands out the pending work. Only one Ready may be outstanding: call <see cref="Advance"/> first.</summary>
    public Ready GetReady()
    {
        if (_readyOutstanding)
            throw new InvalidOperationException("The previous Ready has not been advanced.");
        if (_broadcastPending && Role == RaftRole.Leader) BroadcastAppend();
        _broadcastPending = false;

        var hard = CurrentHardState;
        var termOrVoteChanged = hard.Term != _lastHardState.Term || hard.Vote != _lastHardState.Vote;
        HardState? hardOut = hard != _lastHardState ? hard : null;
        _lastHardState = hard;

        var snapshot = _snapshotToInstall;
        _snapshotToInstall = null;
        var entries = _log.Unstable();
        List<Entry>? committed = null;
        if (_log.Committed > _log.Applying)
        {
            committed = _log.Slice(_log.Applying + 1, _log.Committed, long.MaxValue);
            _log.Applying = _log.Committed;
        }

        var messages = _outbox;
        _outbox = [];
        var ackEarly = Role == RaftRole.Follower && _config.Bugs.HasFlag(PlantedBugs.AckBeforePersist);
        var mayPrecede = (Role == RaftRole.Leader || ackEarly) && !termOrVoteChanged;

        var reads = TakeReadsUpTo(_log.Applying);
        var aborted = _abortedReads.Count == 0 ? (IReadOnlyList<long>)[] : [.. _abortedReads];
        _abortedReads.Clear();

        _readyOutstanding = true;
        return new Ready(SoftState, hardOut, snapshot, entries, committed, messages, mayPrecede, reads, aborted);
    }

    /// <summary>Acknowledges that <paramref name="ready"/> was carried out: its entries are durable and its
    /// committed entries applied.</summary>
    public void Advance(Ready ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        if (!_readyOutstanding)
            throw new InvalidOperationException("Advance called without an outstanding Ready.");
        _readyOutstanding = false;
        if (ready.Entries.Count > 0)
        {
            var last = ready.Entries[^1];
            _log.StableTo(last.Index, last.Term);
        }
        if (ready.Snapshot is { } installed && installed.Index > _log.Applied)
            _log.Applied = installed.Index;
        if (ready.CommittedEntries.Count > 0)
            _log.Applied = Math.Max(_log.Applied, ready.CommittedEntries[^1].Index);
        // The leader's own copy counts toward commit only now that it is durable (§10.2.1).
        if (Role == RaftRole.Leader) MaybeCommit();
    }

    private IReadOnlyList<ReadState> TakeReadsUpTo(long applied)
    {
        if (_confirmedReads.Count == 0) return [];
        var ready = new List<ReadState>();
        _confirmedReads.RemoveAll(read =>
        {
            if (read.Index > applied) return false;
            ready.Add(read);
            return true;
        });
        return ready;
    }
}
