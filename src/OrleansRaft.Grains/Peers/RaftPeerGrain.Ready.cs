using OrleansRaft.Core;
using OrleansRaft.Core.Messages;
using OrleansRaft.Peers;
using OrleansRaft.Shell;

namespace OrleansRaft.Grains.Peers;

/// <summary>The grain's side of its <see cref="ReadyLoop"/>: storage, transport, the state machine, hints and logs.
/// The loop itself (contract order, pending requests) lives in <see cref="ReadyLoop"/>, where Coyote can test it.</summary>
internal sealed partial class RaftPeerGrain : IReadyLoopHost
{
    private ReadyLoop _loop = null!;

    // The loop owns the pending requests and the fenced flag; these keep the grain's other partial files unchanged.
    private Dictionary<long, PendingProposal> _proposals => _loop.Proposals;
    private Dictionary<long, PendingQuery> _queries => _loop.Queries;
    private bool _fenced { get => _loop.Fenced; set => _loop.Fenced = value; }
    private bool _processing => _loop.Processing;
    private TaskCompletionSource? _loopEnded { get => _loop.LoopEnded; set => _loop.LoopEnded = value; }

    /// <summary>Runs the loop; every run ends by matching the timer to the node's quiescence, so that a message or
    /// request that woke the node brings the fast timer back before the next tick is due.</summary>
    private async Task ProcessReadyAsync()
    {
        await _loop.RunAsync();
        FollowQuiescence();
    }

    Task IReadyLoopHost.PersistAsync(Ready ready) => PersistTimedAsync(ready);

    bool IReadyLoopHost.HasGarbage => _store.Log.HasGarbage;

    Task IReadyLoopHost.DeleteGarbageAsync(int maxSegments) => _store.DeleteGarbageAsync(maxSegments);

    void IReadyLoopHost.Send(string to, RaftMessage[] batch)
    {
        foreach (var message in batch) Metrics.Sent(_group, message);
        transport.Send(GrainFactory, _node.Id, to, batch);
    }

    void IReadyLoopHost.RestoreFromLeader(Snapshot snapshot) => RestoreFromLeader(snapshot);

    bool IReadyLoopHost.OnApplied(Entry entry) => _snapshotPolicy.OnApplied(entry);

    (byte[]? Result, string? Error) IReadyLoopHost.ApplyEntry(Entry entry) => ApplyEntry(entry);

    QueryResponse IReadyLoopHost.Answer(byte[] query, long index) => Answer(query, index);

    void IReadyLoopHost.AfterAdvance(Ready ready)
    {
        OnSoftState(ready.SoftState);
        CheckTransfer();
        PublishConfiguration();
    }

    Task IReadyLoopHost.TakeSnapshotAsync() => TakeSnapshotAsync();

    void IReadyLoopHost.OnFenced(Exception error)
    {
        LogFenced(error, _node.Id);
        DeactivateOnIdle();
    }

    void IReadyLoopHost.OnProposalDecided(PendingProposal proposal, Entry entry) => OnProposalDecided(proposal, entry);

    void IReadyLoopHost.OnProposalsAbandoned(string reason, int count) => Metrics.ProposalFailed(_group, reason, count);

    void IReadyLoopHost.OnReadConfirmed(PendingQuery query) => Metrics.ReadConfirmed(_group, query.Arrived);

    void IReadyLoopHost.OnReadyApplied(Ready ready, long started) => Metrics.Applied(_group, _node.Id, ready.CommittedEntries.Count, started);

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

    /// <summary>Leader hints and role-change logs; the loop has already answered a lost leader's proposals.</summary>
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
        LogRoleChanged(_node.Id, _role.ToString(), state.Role.ToString(), state.Term);
        Metrics.RoleChanged(_group, _node.Id, state.Role, state.Term);
        _role = state.Role;
    }

    private void ExpirePending() => _loop.ExpirePending(Environment.TickCount64);

    private void FailAllPending(PeerOutcome outcome, string reason) => _loop.FailAllPending(outcome, reason);
}
