using Microsoft.Coyote.Specifications;
using OrleansRaft.Core;
using OrleansRaft.Core.Messages;
using OrleansRaft.Shell;
using OrleansRaft.Peers;

namespace OrleansRaft.Shell.Tests;

/// <summary>
/// One peer's <see cref="ReadyLoop"/> with controlled fakes for what the grain supplies: storage whose writes complete
/// at a scheduling point (and can fail, as a fence conflict does), a transport that records every batch, and a state
/// machine that answers with the index it applied. The checks run where the loop touches the fakes, so Coyote reports
/// the interleaving that broke one:
/// <list type="bullet">
/// <item>nothing is sent before what it promises is durable (the term of every message; the candidate's own vote);</item>
/// <item>a fenced activation sends, persists and applies nothing;</item>
/// <item>committed entries are applied once each, in order; an Ok answer comes after its entry was applied, with the
/// state machine's result.</item>
/// </list>
/// The same calls as the grain's Deliver, Propose, Query and tick: step or tick the node, then run the loop. Peers 2
/// and 3 are <see cref="Peer"/>: their answers arrive as one-way calls do, each on its own task.
/// </summary>
internal sealed class ShellHarness : IReadyLoopHost
{
    public const string Self = "1";
    public static readonly string[] Peers = ["1", "2", "3"];

    private readonly int _failPersistAt;
    private int _persists;

    public ShellHarness(ShellBugs bugs = ShellBugs.None, int failPersistAt = 0)
    {
        _failPersistAt = failPersistAt;
        Loop = new ReadyLoop(this) { Bugs = bugs };
        Loop.Node = new RaftNode(new RaftConfig
        {
            Id = Self,
            Peers = Peers,
            ElectionTicks = 10,
            HeartbeatTicks = 1,
            PreVote = true,
            CheckQuorum = false,
            RandomSeed = 7,
        });
    }

    public ReadyLoop Loop { get; }

    public RaftNode Node => Loop.Node;

    /// <summary>What peers 2 and 3 answer to a message, or null: the network delivers each answer on a task of its own,
    /// so answers interleave with everything else (and with each other) as Coyote chooses.</summary>
    public Func<RaftMessage, RaftMessage?> Peer { get; init; } = _ => null;

    /// <summary>Messages sent so far.</summary>
    public int SentCount { get; private set; }

    public long DurableTerm { get; private set; }
    public string? DurableVote { get; private set; }
    public long DurableLastIndex { get; private set; }
    public long Applied { get; private set; }
    public bool FencedSeen { get; private set; }

    public Task Deliver(RaftMessage message)
    {
        if (Loop.Fenced) return Task.CompletedTask;
        Node.Step(message);
        return Loop.RunAsync();
    }

    public Task Tick()
    {
        if (Loop.Fenced) return Task.CompletedTask;
        Node.Tick();
        return Loop.RunAsync();
    }

    public async Task<ProposeResponse> Propose(byte[] command)
    {
        if (Loop.Fenced) return new ProposeResponse(PeerOutcome.Unavailable, null, null, 0, "peer is stopping");
        var (result, completion) = Loop.Propose(command, long.MaxValue);
        if (completion is null) return new ProposeResponse(PeerOutcome.NotLeader, null, result.LeaderHint, 0);
        await Loop.RunAsync();
        var answer = await completion.Task;
        if (answer.Outcome == PeerOutcome.Ok)
        {
            // Checked where the caller resumes: by then the entry must have been applied, and the result be its own.
            Specification.Assert(Applied >= answer.Index, $"proposal at index {answer.Index} answered Ok before it was applied (applied {Applied})");
            Specification.Assert(answer.Result is not null && BitConverter.ToInt64(answer.Result) == answer.Index,
                $"proposal at index {answer.Index} answered Ok without the state machine's result");
        }
        return answer;
    }

    public async Task<QueryResponse> Query(long context)
    {
        if (Loop.Fenced) return new QueryResponse(PeerOutcome.Unavailable, null, null, 0, "peer is stopping");
        var (result, completion) = Loop.ReadIndex(context, [], long.MaxValue);
        if (completion is null) return new QueryResponse(PeerOutcome.NotLeader, null, result.LeaderHint, 0);
        await Loop.RunAsync();
        return await completion.Task;
    }

    async Task IReadyLoopHost.PersistAsync(Ready ready)
    {
        Specification.Assert(!FencedSeen, "a fenced activation persisted a Ready");
        // The write is in flight: other calls to the peer interleave here, as they do at the grain's storage await.
        await Task.Yield();
        if (++_persists == _failPersistAt) throw new InvalidOperationException("ETag conflict: another activation wrote the peer row");
        if (ready.HardState is { } hard)
        {
            DurableTerm = hard.Term;
            DurableVote = hard.Vote;
        }
        if (ready.Entries.Count > 0) DurableLastIndex = ready.LastEntryIndex;
    }

    bool IReadyLoopHost.HasGarbage => false;

    Task IReadyLoopHost.DeleteGarbageAsync(int maxSegments) => Task.CompletedTask;

    void IReadyLoopHost.Send(string to, RaftMessage[] batch)
    {
        Specification.Assert(!FencedSeen && !Loop.Fenced, $"a fenced activation sent {batch.Length} message(s) to {to}");
        foreach (var message in batch)
        {
            // A PreVote names the term the node would campaign in, which it has not adopted: it promises nothing.
            if (message is not RequestVote { PreVote: true })
                Specification.Assert(message.Term <= DurableTerm, $"{message.GetType().Name} of term {message.Term} sent while the durable term is {DurableTerm}");
            if (message is RequestVote { PreVote: false } vote)
                Specification.Assert(DurableVote == Self, $"RequestVote of term {vote.Term} sent before the candidate's own vote was durable");
            if (message is AppendEntriesReply { Success: true } ack)
                Specification.Assert(ack.Index <= DurableLastIndex, $"entries through {ack.Index} acknowledged while only {DurableLastIndex} are durable");
            SentCount++;
            if (Peer(message) is { } reply) _ = Task.Run(() => Deliver(reply));
        }
    }

    void IReadyLoopHost.RestoreFromLeader(Snapshot snapshot) => Applied = snapshot.Index;

    (byte[]? Result, string? Error) IReadyLoopHost.ApplyEntry(Entry entry)
    {
        Specification.Assert(!FencedSeen, "a fenced activation applied an entry");
        Specification.Assert(entry.Index == Applied + 1, $"entry {entry.Index} applied after {Applied}: not once each, in order");
        Applied = entry.Index;
        return (BitConverter.GetBytes(entry.Index), null);
    }

    bool IReadyLoopHost.OnApplied(Entry entry) => false;

    QueryResponse IReadyLoopHost.Answer(byte[] query, long index)
    {
        Specification.Assert(Applied >= index, $"read at index {index} served from state applied through {Applied}");
        return new QueryResponse(PeerOutcome.Ok, BitConverter.GetBytes(Applied), Node.Leader, index);
    }

    void IReadyLoopHost.AfterAdvance(Ready ready) { }

    Task IReadyLoopHost.TakeSnapshotAsync() => Task.CompletedTask;

    void IReadyLoopHost.OnFenced(Exception error) => FencedSeen = true;

    // Metrics hooks: the shell's properties are checked on the answers themselves, not on what is counted.
    void IReadyLoopHost.OnProposalDecided(PendingProposal proposal, Entry entry) { }

    void IReadyLoopHost.OnProposalsAbandoned(string reason, int count) { }

    void IReadyLoopHost.OnReadConfirmed(PendingQuery query) { }

    void IReadyLoopHost.OnReadyApplied(Ready ready, long started) { }
}
