using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tracking;

namespace OrleansRaft.Core;

public sealed partial class RaftNode
{
    /// <summary>Appends to the leader's own log. Sending is deferred to the next Ready, so that all
    /// proposals of one turn travel to each follower in one message.</summary>
    private void AppendAsLeader(Entry entry)
    {
        _log.Append(entry);
        _broadcastPending = true;
        if (entry.Type == EntryType.ConfigChange) OnLeaderConfigurationChanged();
    }

    private void StepLeader(RaftMessage message)
    {
        if (!_progress.TryGetValue(message.From, out var progress)) return;
        switch (message)
        {
            case AppendEntriesReply reply:
                progress.RecentActive = true;
                if (reply.Success) HandleAppendSuccess(reply.From, progress, reply.Index);
                else HandleAppendRejection(reply, progress);
                break;
            case InstallSnapshotReply reply:
                progress.RecentActive = true;
                HandleInstallSnapshotReply(reply, progress);
                break;
            case HeartbeatReply reply when progress.State == ProgressState.Snapshot:
                progress.RecentActive = true;
                ResendStalledSnapshot(reply.From, progress);
                AcknowledgeReadRound(progress, reply.ReadRound);
                break;
            case HeartbeatReply reply:
                progress.RecentActive = true;
                progress.ProbeSent = false;
                if (progress.Match < _log.LastIndex)
                {
                    if (progress.State == ProgressState.Replicate && (progress.IsPaused || progress.Next > _log.LastIndex))
                        SendTailProbe(reply.From, progress);
                    else
                        SendAppend(reply.From, progress);
                }
                AcknowledgeReadRound(progress, reply.ReadRound);
                break;
        }
    }

    private void HandleAppendSuccess(string peer, Progress progress, long index)
    {
        if (!progress.MaybeUpdate(index) || ForgetIfRemoved(peer, progress)) return;
        switch (progress.State)
        {
            case ProgressState.Probe:
            case ProgressState.Snapshot when progress.Match >= progress.PendingSnapshot:
                progress.BecomeReplicate();
                break;
            case ProgressState.Replicate:
                progress.Inflights.FreeLE(index);
                break;
        }
        MaybeCommit();
        if (Role != RaftRole.Leader) return;
        while (!progress.IsPaused && progress.Next <= _log.LastIndex)
            SendAppend(peer, progress);
        if (peer == _leadTransferee && progress.Match == _log.LastIndex) SendTimeoutNow(peer);
    }

    private void HandleAppendRejection(AppendEntriesReply reply, Progress progress)
    {
        // While a snapshot is on its way, only its installation (or the heartbeat's resend) moves the follower on.
        if (progress.State == ProgressState.Snapshot) return;
        var rejected = reply.Index;
        // Ignore rejections of appends we have since moved past (they were delayed or duplicated).
        if (progress.State == ProgressState.Replicate ? rejected <= progress.Match : rejected != progress.Next - 1)
            return;

        var next = reply.ConflictIndex;
        if (reply.ConflictTerm > 0)
        {
            var last = _log.LastIndexOfTerm(reply.ConflictTerm, rejected);
            if (last > 0) next = last + 1;
        }
        progress.BecomeProbe(Math.Min(next, rejected));
        SendAppend(reply.From, progress);
    }

    /// <summary>Sends the follower the entries from its Next index, bounded by message bytes and in-flight count.</summary>
    private void SendAppend(string peer, Progress progress)
    {
        if (progress.IsPaused) return;
        var prevIndex = progress.Next - 1;
        if (prevIndex < _log.FirstIndex - 1)
        {
            SendSnapshot(peer, progress);
            return;
        }
        var prevTerm = _log.TermAt(prevIndex);
        var entries = progress.Next <= _log.LastIndex
            ? _log.Slice(progress.Next, _log.LastIndex, _config.MaxMessageBytes)
            : [];
        if (entries.Count == 0 && progress.State == ProgressState.Replicate) return;
        Send(new AppendEntries(Id, peer, Term, prevIndex, prevTerm, entries, _log.Committed));
        progress.SentEntries(prevIndex + entries.Count, entries.Count);
    }

    /// <summary>Asks a replicating follower that lags behind whether it holds the last entry sent to it, without
    /// sending more. Appends (or their acknowledgements) may have been lost, and in Replicate state nothing
    /// else would send them again until the next proposal, or ever once the in-flight window is full: a
    /// success reports what did arrive, a rejection drops the follower back to Probe, which resends (§5.3:
    /// the leader retries indefinitely). Not counted in flight: it carries no entries.</summary>
    private void SendTailProbe(string peer, Progress progress)
    {
        var prevIndex = progress.Next - 1;
        if (prevIndex < _log.FirstIndex - 1)
        {
            SendSnapshot(peer, progress);
            return;
        }
        Send(new AppendEntries(Id, peer, Term, prevIndex, _log.TermAt(prevIndex), [], _log.Committed));
    }

    private void BroadcastAppend()
    {
        _broadcastPending = false;
        foreach (var (peer, progress) in _progress)
            SendAppend(peer, progress);
    }

    private void BroadcastHeartbeat()
    {
        StartQueuedReadRound();
        foreach (var (peer, progress) in _progress)
            Send(new Heartbeat(Id, peer, Term, Math.Min(progress.Match, _log.Committed), _readRound));
    }

    /// <summary>Commits the highest index durable on a majority, but only if it belongs to the current
    /// term: entries of earlier terms commit indirectly (§5.4.2, Figure 8).</summary>
    private void MaybeCommit()
    {
        var configuration = Configuration;
        Span<long> matches = stackalloc long[configuration.Voters.Count];
        var i = 0;
        foreach (var voter in configuration.Voters)
            matches[i++] = voter == Id ? _log.Stabled : _progress.TryGetValue(voter, out var progress) ? progress.Match : 0;
        var index = Quorum.MajorityValue(matches);
        if (index <= _log.Committed) return;
        if (_log.TermAt(index) != Term && !_config.Bugs.HasFlag(PlantedBugs.CommitPreviousTermByCount)) return;

        var before = _log.Committed;
        _log.CommitTo(index);
        ReleaseUncommittedBytes(before, index);
        OnCommitAdvanced();
        if (!configuration.IsVoter(Id) && _log.Committed >= _log.Configs.LatestIndex) StepDownRemoved();
    }

    private void ReleaseUncommittedBytes(long from, long to)
    {
        for (var k = from + 1; k <= to; k++)
        {
            var entry = _log.EntryAt(k);
            if (entry.Term == Term && entry.Type == EntryType.Normal) _uncommittedBytes -= entry.Size;
        }
        if (_uncommittedBytes < 0) _uncommittedBytes = 0;
    }
}
