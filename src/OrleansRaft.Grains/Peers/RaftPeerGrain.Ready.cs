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
            while (!_fenced && (_node.HasReady || _logStore.HasGarbage))
            {
                if (!_node.HasReady)
                {
                    if (!await TryDeleteGarbageAsync()) return;
                    continue;
                }
                var ready = _node.GetReady();
                if (!await TryPersistAndSendAsync(ready)) return;
                var snapshotDue = Apply(ready);
                _node.Advance(ready);
                OnSoftState(ready.SoftState);
                if (snapshotDue && !await TrySnapshotAsync()) return;
            }
        }
        finally
        {
            _processing = false;
        }
    }

    private async Task<bool> TryPersistAndSendAsync(Ready ready)
    {
        if (ready.MessagesMayPrecedePersist) Send(ready.Messages);
        try
        {
            // Entries first: a hard state durable ahead of the entries it speaks for would let a restart trust
            // stale entries. The commit index is not persisted at all (a restarted peer relearns it from the
            // leader), so only a change of term or vote costs a hard-state write.
            if (ready.Snapshot is { } installed)
            {
                // It replaces the whole log: durable first, then the old log goes (a crash in between is handled at
                // restart, where the node drops stored entries that do not continue the snapshot).
                await _snapshotStore.SaveAsync(installed);
                await _logStore.ClearAsync();
            }
            if (ready.Entries.Count > 0) await _logStore.AppendAsync(ready.Entries);
            if (ready.HardState is { } hard && (hard.Term != _persisted.Term || hard.Vote != _persisted.Vote))
            {
                var durable = hard with { Commit = 0 };
                await _hardStore.SaveAsync(durable);
                _persisted = durable;
            }
        }
        catch (Exception e)
        {
            // An ETag conflict means another activation of this peer exists; any other failure leaves us unsure
            // what is durable. Either way this activation must stop answering: a new one reloads from storage.
            Fence(e);
            return false;
        }
        if (!ready.MessagesMayPrecedePersist) Send(ready.Messages);
        return true;
    }

    private async Task<bool> TryDeleteGarbageAsync()
    {
        try
        {
            await _logStore.DeleteGarbageAsync(GarbageSegmentsPerStep);
            return true;
        }
        catch (Exception e)
        {
            Fence(e);
            return false;
        }
    }

    private void Send(IReadOnlyList<RaftMessage> messages)
    {
        if (messages.Count == 0) return;
        foreach (var message in messages)
        {
            if (!_outgoing.TryGetValue(message.To, out var batch)) _outgoing[message.To] = batch = [];
            batch.Add(message);
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
        if (ready.Snapshot is { } installed) RestoreFromLeader(installed);
        foreach (var entry in ready.CommittedEntries)
        {
            snapshotDue |= _snapshotPolicy.OnApplied(entry);
            var result = _stateMachine.Apply(entry);
            if (!_proposals.Remove(entry.Index, out var proposal)) continue;
            proposal.Completion.TrySetResult(proposal.Term == entry.Term
                ? new ProposeResponse(PeerOutcome.Ok, result, _node.Leader, entry.Index)
                : new ProposeResponse(PeerOutcome.Dropped, null, _node.Leader, entry.Index));
        }
        foreach (var read in ready.ReadStates)
        {
            if (_queries.Remove(read.Context, out var query))
                query.Completion.TrySetResult(new QueryResponse(PeerOutcome.Ok, _stateMachine.Query(query.Query), _node.Leader, read.Index));
        }
        foreach (var context in ready.AbortedReads)
        {
            if (_queries.Remove(context, out var query))
                query.Completion.TrySetResult(new QueryResponse(PeerOutcome.NotLeader, null, _node.Leader, 0));
        }
        return snapshotDue;
    }

    /// <summary>A leader that loses its term cannot know whether its pending proposals will commit: it says so,
    /// and the caller retries with the same request id, which the session table makes safe.</summary>
    private void OnSoftState(SoftState state)
    {
        if (state.Leader is { } leader && state.Term > _leaderReportedTerm)
        {
            // Once per term, not on every Ready: the silo's facades only care about a new leader.
            hints.Observe(_group, leader, state.Term);
            _leaderReportedTerm = state.Term;
        }
        if (state.Role == _role) return;
        if (_role == RaftRole.Leader)
        {
            foreach (var proposal in _proposals.Values)
                proposal.Completion.TrySetResult(new ProposeResponse(PeerOutcome.Unknown, null, state.Leader, 0, "leadership lost before the command committed"));
            _proposals.Clear();
        }
        LogRoleChanged(_node.Id, _role.ToString(), state.Role.ToString(), state.Term);
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
                proposal.Completion.TrySetResult(new ProposeResponse(PeerOutcome.Unknown, null, _node.Leader, index, "not committed in time"));
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
