using OrleansRaft.Core;
using OrleansRaft.Core.Messages;
using OrleansRaft.Peers;

namespace OrleansRaft.Grains.Peers;

internal sealed partial class RaftPeerGrain
{
    /// <summary>Log rows freed by a snapshot that one idle step of the loop deletes: new work waits for at most these.</summary>
    private const int GarbageSegmentsPerStep = 4;

    /// <summary>Carries out Readies until the node has none. Only one loop runs at a time: work that arrives
    /// while it awaits storage (interleaved client calls, steps) is picked up by the same loop. With no Ready left,
    /// it deletes log rows freed by the last snapshot, a few at a time, checking for new work after each step; every
    /// storage call of the peer goes through this loop, so none ever overlaps another.</summary>
    private async Task ProcessReadyAsync()
    {
        if (_processing) return;
        _processing = true;
        try
        {
            while (!_fenced && (_node.HasReady || _store.Log.HasGarbage))
            {
                if (!_node.HasReady)
                {
                    await _store.DeleteGarbageAsync(GarbageSegmentsPerStep);
                    continue;
                }
                var ready = _node.GetReady();
                await PersistAndSendAsync(ready);
                var snapshotDue = Apply(ready);
                _node.Advance(ready);
                OnSoftState(ready.SoftState);
                CheckTransfer();
                PublishConfiguration();
                if (snapshotDue) await TakeSnapshotAsync();
            }
        }
        catch (Exception e)
        {
            // The loop is total: whatever failed (a storage write, a fence conflict, an undecodable snapshot, a send),
            // this activation no longer knows that its state is what storage holds. It stops at once, answers
            // nothing more, and a new activation reloads from storage.
            Fence(e);
        }
        finally
        {
            _processing = false;
            FollowQuiescence();
            _loopEnded?.TrySetResult();
            _loopEnded = null;
        }
    }

    private async Task PersistAndSendAsync(Ready ready)
    {
        if (ready.MessagesMayPrecedePersist) Send(ready.Messages);
        await PersistTimedAsync(ready);
        if (!ready.MessagesMayPrecedePersist) Send(ready.Messages);
    }

    private void Send(IReadOnlyList<RaftMessage> messages)
    {
        if (messages.Count == 0) return;
        foreach (var message in messages)
        {
            if (!_outgoing.TryGetValue(message.To, out var batch)) _outgoing[message.To] = batch = [];
            batch.Add(message);
            Metrics.Sent(_group, message);
        }
        foreach (var (to, batch) in _outgoing)
        {
            if (batch.Count == 0) continue;
            transport.Send(GrainFactory, _node.Id, to, [.. batch]);
            batch.Clear();
        }
    }

    /// <summary>Applies the Ready; returns whether enough was applied since the last snapshot to take one.</summary>
    private bool Apply(Ready ready)
    {
        var snapshotDue = false;
        var applying = System.Diagnostics.Stopwatch.GetTimestamp();
        if (ready.Snapshot is { } installed) RestoreFromLeader(installed);
        foreach (var entry in ready.CommittedEntries)
        {
            snapshotDue |= _snapshotPolicy.OnApplied(entry);
            var (result, error) = ApplyEntry(entry);
            if (!_proposals.Remove(entry.Index, out var proposal)) continue;
            OnProposalDecided(proposal, entry);
            proposal.Completion.TrySetResult(proposal.Term != entry.Term
                ? new ProposeResponse(PeerOutcome.Dropped, null, _node.Leader, entry.Index)
                : error is null
                    ? new ProposeResponse(PeerOutcome.Ok, result, _node.Leader, entry.Index)
                    : new ProposeResponse(PeerOutcome.Failed, null, _node.Leader, entry.Index, error));
        }
        foreach (var read in ready.ReadStates)
        {
            if (!_queries.Remove(read.Context, out var query)) continue;
            Metrics.ReadConfirmed(_group, query.Arrived);
            query.Completion.TrySetResult(Answer(query.Query, read.Index));
        }
        foreach (var context in ready.AbortedReads)
        {
            if (_queries.Remove(context, out var query))
                query.Completion.TrySetResult(new QueryResponse(PeerOutcome.NotLeader, null, _node.Leader, 0));
        }
        Metrics.Applied(_group, _node.Id, ready.CommittedEntries.Count, applying);
        return snapshotDue;
    }

    /// <summary>Applies one entry. The state machine is deterministic, so an entry it cannot apply fails on every
    /// replica alike: that is the proposer's answer, and the log goes on.</summary>
    private (byte[]? Result, string? Error) ApplyEntry(Entry entry)
    {
        try
        {
            return (_stateMachine.Apply(entry), null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogApplyFailed(e, _node.Id, entry.Index);
            return (null, $"the state machine could not apply the entry at index {entry.Index}: {e.Message}");
        }
    }

    /// <summary>Answers a query from the applied state; a query the state machine cannot read is the caller's error.</summary>
    private QueryResponse Answer(byte[] query, long index)
    {
        try
        {
            return new QueryResponse(PeerOutcome.Ok, _stateMachine.Query(query), _node.Leader, index);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new QueryResponse(PeerOutcome.Failed, null, _node.Leader, index, $"the state machine could not answer the query: {e.Message}");
        }
    }

    /// <summary>A leader that loses its term cannot know whether its pending proposals will commit: it says so,
    /// and the caller retries with the same request id, which the session table makes safe.</summary>
    private void OnSoftState(SoftState state)
    {
        if (state.Leader is { } leader && state.Term > _leaderReportedTerm)
        {
            // Once per term, not on every Ready: the silo's facades only care about a new leader.
            hints.Observe(_group, leader, state.Term);
            Metrics.LeaderSeen(_group, _node.Id, leader, state.Term);
            _leaderReportedTerm = state.Term;
        }
        if (state.Role == _role) return;
        if (_role == RaftRole.Leader)
        {
            Metrics.ProposalFailed(_group, "leadership_lost", _proposals.Count);
            foreach (var proposal in _proposals.Values)
                proposal.Completion.TrySetResult(new ProposeResponse(PeerOutcome.Unknown, null, state.Leader, 0, "leadership lost before the command committed"));
            _proposals.Clear();
        }
        LogRoleChanged(_node.Id, _role.ToString(), state.Role.ToString(), state.Term);
        Metrics.RoleChanged(_group, _node.Id, state.Role, state.Term);
        _role = state.Role;
    }

    private void Fence(Exception error)
    {
        _fenced = true;
        LogFenced(error, _node.Id);
        FailAllPending(PeerOutcome.Unavailable, "peer storage failed or another activation exists");
        DeactivateOnIdle();
    }

    /// <summary>Answers requests whose caller has long given up, so that nothing pending outlives its use.</summary>
    private void ExpirePending()
    {
        var now = Environment.TickCount64;
        List<long>? expired = null;
        foreach (var (index, proposal) in _proposals)
            if (proposal.Deadline < now) (expired ??= []).Add(index);
        foreach (var index in expired ?? [])
            if (_proposals.Remove(index, out var proposal))
            {
                Metrics.ProposalFailed(_group, "timeout");
                proposal.Completion.TrySetResult(new ProposeResponse(PeerOutcome.Unknown, null, _node.Leader, index, "not committed in time"));
            }
        expired?.Clear();
        foreach (var (context, query) in _queries)
            if (query.Deadline < now) (expired ??= []).Add(context);
        foreach (var context in expired ?? [])
            if (_queries.Remove(context, out var query))
                query.Completion.TrySetResult(new QueryResponse(PeerOutcome.Unavailable, null, _node.Leader, 0, "read not confirmed in time"));
    }

    private void FailAllPending(PeerOutcome outcome, string reason)
    {
        // Proposals may already be durable and replicated: their outcome is unknown, not failed.
        foreach (var proposal in _proposals.Values)
            proposal.Completion.TrySetResult(new ProposeResponse(PeerOutcome.Unknown, null, null, 0, reason));
        foreach (var query in _queries.Values)
            query.Completion.TrySetResult(new QueryResponse(outcome, null, null, 0, reason));
        _proposals.Clear();
        _queries.Clear();
    }
}
