using OrleansRaft.Core;
using OrleansRaft.Core.Messages;
using OrleansRaft.Peers;

namespace OrleansRaft.Shell;

internal sealed record PendingProposal(long Term, long Deadline, TaskCompletionSource<ProposeResponse> Completion)
{
    /// <summary>When the node accepted it (a Stopwatch timestamp): the start of its commit latency.</summary>
    public long Accepted { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
}

internal sealed record PendingQuery(byte[] Query, long Deadline, TaskCompletionSource<QueryResponse> Completion)
{
    /// <summary>When the read arrived (a Stopwatch timestamp): the start of its confirmation latency.</summary>
    public long Arrived { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
}

/// <summary>What the Ready loop needs from the activation that hosts it: storage, transport, the state machine and the
/// grain's own bookkeeping. The grain implements it; the shell's systematic tests (Coyote) implement it with fakes.</summary>
internal interface IReadyLoopHost
{
    /// <summary>Makes the Ready's snapshot, entries and hard state durable (the fencing write included).</summary>
    Task PersistAsync(Ready ready);

    /// <summary>Log rows freed by the last snapshot are still to be deleted.</summary>
    bool HasGarbage { get; }

    Task DeleteGarbageAsync(int maxSegments);

    /// <summary>Sends one batch, all addressed to <paramref name="to"/>, without waiting for anything.</summary>
    void Send(string to, RaftMessage[] batch);

    /// <summary>Replaces the state machine with a snapshot from the leader.</summary>
    void RestoreFromLeader(Snapshot snapshot);

    /// <summary>Applies one committed entry: its result for the proposer, or why it failed.</summary>
    (byte[]? Result, string? Error) ApplyEntry(Entry entry);

    /// <summary>Returns whether enough was applied since the last snapshot to take one.</summary>
    bool OnApplied(Entry entry);

    /// <summary>Answers a query from the applied state at <paramref name="index"/> or later.</summary>
    QueryResponse Answer(byte[] query, long index);

    /// <summary>After Advance: leader hints, role changes, leadership transfer and configuration, as the grain sees them.</summary>
    void AfterAdvance(Ready ready);

    Task TakeSnapshotAsync();

    /// <summary>The loop failed and fenced itself; the host logs it and deactivates.</summary>
    void OnFenced(Exception error);

    /// <summary>A pending proposal's index was committed, with the proposal's term (it committed) or another (dropped).</summary>
    void OnProposalDecided(PendingProposal proposal, Entry entry);

    /// <summary>Pending proposals were answered Unknown without a decision: <paramref name="reason"/> names why.</summary>
    void OnProposalsAbandoned(string reason, int count);

    /// <summary>A pending read was confirmed and is about to be answered.</summary>
    void OnReadConfirmed(PendingQuery query);

    /// <summary>A Ready's committed entries were applied; <paramref name="started"/> is when applying began (a Stopwatch timestamp).</summary>
    void OnReadyApplied(Ready ready, long started);
}

/// <summary>
/// The work one peer activation does with its node's Readies, and the requests waiting on them: persist, send, apply,
/// advance, answering each pending proposal and read exactly once. A plain class, not the grain, so that the shell's
/// interleavings (Deliver, Propose, Query, ticks and storage completions) can run under Coyote's scheduler with the
/// storage and the transport as controlled fakes. Orleans runs it on the grain's one-turn-at-a-time scheduler.
/// </summary>
internal sealed class ReadyLoop(IReadyLoopHost host)
{
    /// <summary>Log rows freed by a snapshot that one idle step of the loop deletes: new work waits for at most these.</summary>
    private const int GarbageSegmentsPerStep = 4;

    private readonly Dictionary<string, List<RaftMessage>> _outgoing = new(StringComparer.Ordinal);
    private RaftRole _role;

    public RaftNode Node { get; set; } = null!;

    public Dictionary<long, PendingProposal> Proposals { get; } = [];

    public Dictionary<long, PendingQuery> Queries { get; } = [];

    /// <summary>Set once this activation may no longer persist, send or answer anything (for good).</summary>
    public bool Fenced { get; set; }

    /// <summary>A loop is running (it may be awaiting storage).</summary>
    public bool Processing { get; private set; }

    /// <summary>Completed when the running loop ends (Retire waits for it: no storage call may overlap another).</summary>
    public TaskCompletionSource? LoopEnded { get; set; }

    /// <summary>Bugs planted on purpose, for the tests that prove the shell's systematic tests find them.</summary>
    internal ShellBugs Bugs { get; init; }

    /// <summary>Hands a command to the node; an accepted one waits for its entry to be applied.</summary>
    public (ProposeResult Result, TaskCompletionSource<ProposeResponse>? Completion) Propose(byte[] command, long deadline)
    {
        var result = Node.Propose(command);
        if (!result.Accepted) return (result, null);
        var completion = new TaskCompletionSource<ProposeResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        Proposals[result.Index] = new PendingProposal(result.Term, deadline, completion);
        return (result, completion);
    }

    /// <summary>Starts a ReadIndex round; an accepted read waits until the node confirms it and its index is applied.</summary>
    public (ReadIndexResult Result, TaskCompletionSource<QueryResponse>? Completion) ReadIndex(long context, byte[] query, long deadline)
    {
        var result = Node.ReadIndex(context);
        if (!result.Accepted) return (result, null);
        var completion = new TaskCompletionSource<QueryResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        Queries[context] = new PendingQuery(query, deadline, completion);
        return (result, completion);
    }

    /// <summary>Carries out Readies until the node has none. Only one loop runs at a time: work that arrives
    /// while it awaits storage (interleaved client calls, steps) is picked up by the same loop. With no Ready left,
    /// it deletes log rows freed by the last snapshot, a few at a time, checking for new work after each step; every
    /// storage call of the peer goes through this loop, so none ever overlaps another.</summary>
    public async Task RunAsync()
    {
        if (Processing) return;
        Processing = true;
        try
        {
            while (!Fenced && (Node.HasReady || host.HasGarbage))
            {
                if (!Node.HasReady)
                {
                    await host.DeleteGarbageAsync(GarbageSegmentsPerStep);
                    continue;
                }
                var ready = Node.GetReady();
                if (Bugs.HasFlag(ShellBugs.AnswerBeforeApply)) AnswerCommittedAtOnce(ready);
                await PersistAndSendAsync(ready);
                var snapshotDue = Apply(ready);
                Node.Advance(ready);
                AnswerLostLeadership(ready.SoftState);
                host.AfterAdvance(ready);
                if (snapshotDue) await host.TakeSnapshotAsync();
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
            Processing = false;
            LoopEnded?.TrySetResult();
            LoopEnded = null;
        }
    }

    private async Task PersistAndSendAsync(Ready ready)
    {
        if (ready.MessagesMayPrecedePersist) Send(ready.Messages);
        await host.PersistAsync(ready);
        if (!ready.MessagesMayPrecedePersist) Send(ready.Messages);
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
            host.Send(to, [.. batch]);
            batch.Clear();
        }
    }

    /// <summary>Applies the Ready; returns whether enough was applied since the last snapshot to take one.</summary>
    private bool Apply(Ready ready)
    {
        var snapshotDue = false;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (ready.Snapshot is { } installed) host.RestoreFromLeader(installed);
        foreach (var entry in ready.CommittedEntries)
        {
            snapshotDue |= host.OnApplied(entry);
            var (result, error) = host.ApplyEntry(entry);
            if (!Proposals.Remove(entry.Index, out var proposal)) continue;
            host.OnProposalDecided(proposal, entry);
            proposal.Completion.TrySetResult(proposal.Term != entry.Term
                ? new ProposeResponse(PeerOutcome.Dropped, null, Node.Leader, entry.Index)
                : error is null
                    ? new ProposeResponse(PeerOutcome.Ok, result, Node.Leader, entry.Index)
                    : new ProposeResponse(PeerOutcome.Failed, null, Node.Leader, entry.Index, error));
        }
        foreach (var read in ready.ReadStates)
        {
            if (!Queries.Remove(read.Context, out var query)) continue;
            host.OnReadConfirmed(query);
            query.Completion.TrySetResult(host.Answer(query.Query, read.Index));
        }
        foreach (var context in ready.AbortedReads)
        {
            if (Queries.Remove(context, out var query))
                query.Completion.TrySetResult(new QueryResponse(PeerOutcome.NotLeader, null, Node.Leader, 0));
        }
        host.OnReadyApplied(ready, started);
        return snapshotDue;
    }

    /// <summary>The planted bug: committed is taken for applied, and the proposer hears Ok while the storage write of
    /// this Ready is still in flight, before the state machine has seen the entry.</summary>
    private void AnswerCommittedAtOnce(Ready ready)
    {
        foreach (var entry in ready.CommittedEntries)
            if (Proposals.Remove(entry.Index, out var proposal) && proposal.Term == entry.Term)
                proposal.Completion.TrySetResult(new ProposeResponse(PeerOutcome.Ok, null, Node.Leader, entry.Index));
    }

    /// <summary>A leader that loses its term cannot know whether its pending proposals will commit: it says so,
    /// and the caller retries with the same request id, which the session table makes safe.</summary>
    private void AnswerLostLeadership(SoftState state)
    {
        if (state.Role == _role) return;
        if (_role == RaftRole.Leader)
        {
            host.OnProposalsAbandoned("leadership_lost", Proposals.Count);
            foreach (var proposal in Proposals.Values)
                proposal.Completion.TrySetResult(new ProposeResponse(PeerOutcome.Unknown, null, state.Leader, 0, "leadership lost before the command committed"));
            Proposals.Clear();
        }
        _role = state.Role;
    }

    private void Fence(Exception error)
    {
        Fenced = true;
        FailAllPending(PeerOutcome.Unavailable, "peer storage failed or another activation exists");
        host.OnFenced(error);
    }

    /// <summary>Answers requests whose caller has long given up, so that nothing pending outlives its use.</summary>
    public void ExpirePending(long now)
    {
        List<long>? expired = null;
        foreach (var (index, proposal) in Proposals)
            if (proposal.Deadline < now) (expired ??= []).Add(index);
        foreach (var index in expired ?? [])
            if (Proposals.Remove(index, out var proposal))
            {
                host.OnProposalsAbandoned("timeout", 1);
                proposal.Completion.TrySetResult(new ProposeResponse(PeerOutcome.Unknown, null, Node.Leader, index, "not committed in time"));
            }
        expired?.Clear();
        foreach (var (context, query) in Queries)
            if (query.Deadline < now) (expired ??= []).Add(context);
        foreach (var context in expired ?? [])
            if (Queries.Remove(context, out var query))
                query.Completion.TrySetResult(new QueryResponse(PeerOutcome.Unavailable, null, Node.Leader, 0, "read not confirmed in time"));
    }

    public void FailAllPending(PeerOutcome outcome, string reason)
    {
        // Proposals may already be durable and replicated: their outcome is unknown, not failed.
        foreach (var proposal in Proposals.Values)
            proposal.Completion.TrySetResult(new ProposeResponse(PeerOutcome.Unknown, null, null, 0, reason));
        foreach (var query in Queries.Values)
            query.Completion.TrySetResult(new QueryResponse(outcome, null, null, 0, reason));
        Proposals.Clear();
        Queries.Clear();
    }
}
