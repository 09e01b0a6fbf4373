using OrleansRaft.Core.Tests.Simulation.Peers;
using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.Core.Tests.Simulation.Kv;

/// <summary>
/// The KV service of one activation of a simulated peer: proposes clients' writes, answers each once its entry
/// applies here, and serves linearizable reads through ReadIndex once their read state is released (after
/// applying). Everything here is volatile: a crash or a fence forgets the waiting requests, and their clients
/// time out.
/// </summary>
internal sealed class KvServer : IPeerApplication
{
    private readonly Dictionary<(int Client, long Sequence), PendingWrite> _writes = [];
    private readonly Dictionary<long, (string Key, Action<KvReply> Reply)> _reads = [];
    private KvStateMachine _store = new();

    private sealed record PendingWrite(long Index, long Term, Action<KvReply> Reply);

    /// <summary>The activation this service runs in.</summary>
    public required PeerActivation Peer { get; init; }

    public KvStateMachine Store => _store;

    public void HandleWrite(KvCommand command, Action<KvReply> reply)
    {
        if (!Peer.IsRunning) return;
        if (Peer.IsPaused)
        {
            Peer.WhenRunning(() => HandleWrite(command, reply));
            return;
        }
        // Register first: with instant writes the entry may commit and apply within Propose itself.
        var key = (command.ClientId, command.Sequence);
        _writes[key] = new PendingWrite(0, 0, reply);
        var result = Peer.Propose(command.Encode());
        if (!result.Accepted)
        {
            if (_writes.Remove(key))
                reply(KvReply.Rejected(result.Reason == RejectReason.NotLeader ? KvReplyStatus.NotLeader : KvReplyStatus.Busy, result.LeaderHint));
            return;
        }
        if (_writes.ContainsKey(key)) _writes[key] = new PendingWrite(result.Index, result.Term, reply);
    }

    public void HandleRead(string key, long context, Action<KvReply> reply)
    {
        if (!Peer.IsRunning) return;
        if (Peer.IsPaused)
        {
            Peer.WhenRunning(() => HandleRead(key, context, reply));
            return;
        }
        // Register first: the read state may be released within the same call chain.
        _reads[context] = (key, reply);
        var result = Peer.ReadIndex(context);
        if (!result.Accepted && _reads.Remove(context))
            reply(KvReply.Rejected(KvReplyStatus.NotLeader, result.LeaderHint));
    }

    public long AppliedIndex => _store.AppliedIndex;

    public ulong AppliedChain => _store.AppliedChain;

    public byte[] TakeSnapshot() => _store.Encode();

    /// <summary>Requests waiting here for entries the snapshot covers stay unanswered: whether they applied is not
    /// known here, so their clients time out and retry (the session table answers a retry that did apply).</summary>
    public void Restore(byte[] snapshot) => _store = KvStateMachine.Decode(snapshot);

    public void Reset()
    {
        _store = new KvStateMachine();
        _writes.Clear();
        _reads.Clear();
    }

    public void Apply(Entry entry)
    {
        var applied = _store.Apply(entry);
        if (applied is { } done && _writes.Remove((done.ClientId, done.Sequence), out var waiting))
            waiting.Reply(KvReply.Ok(done.Output));
        FailLostProposals(entry);
    }

    public void ServeRead(ReadState read)
    {
        if (_reads.Remove(read.Context, out var pending))
            pending.Reply(KvReply.Ok(KvOutput.Read(_store.Get(pending.Key))));
    }

    public void AbortRead(long context)
    {
        if (_reads.Remove(context, out var pending))
            pending.Reply(KvReply.Rejected(KvReplyStatus.NotLeader, null));
    }

    /// <summary>A proposal whose index now holds an entry of another term will never apply from there.</summary>
    private void FailLostProposals(Entry entry)
    {
        if (_writes.Count == 0) return;
        List<(int, long)>? lost = null;
        foreach (var (key, write) in _writes)
            if (write.Index == entry.Index && write.Term != entry.Term) (lost ??= []).Add(key);
        if (lost is null) return;
        foreach (var key in lost)
            if (_writes.Remove(key, out var write)) write.Reply(KvReply.Rejected(KvReplyStatus.Lost, null));
    }
}
