using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Kv;
using OrleansRaft.Testing.Linearizability;
using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.Core.Tests.Simulation.Clients;

/// <summary>
/// A client that runs one operation at a time against the cluster and records it in the shared history.
/// It follows leader hints and retries elsewhere on rejections and timeouts. A write keeps its sequence number
/// across retries, so that the servers' session table applies it once. An operation the client gives up on
/// stays in the history with an unknown outcome: it may or may not have taken effect.
/// </summary>
internal sealed class SimClient(
    int id, EventQueue queue, Random random, IKvTransport transport, ClientSettings settings,
    History<KvInput, KvOutput> history, Func<long> nextReadContext)
{
    private sealed record Pending(long OpId, int Handle, KvInput Input, long Sequence, long Started)
    {
        public int Attempt { get; set; }
    }

    private Pending? _pending;
    private readonly List<int> _abandoned = [];
    private long _sequence;
    private long _ops;
    private string? _leaderHint;
    private string? _lastSeen;
    private bool _stopped;

    public int Id { get; } = id;

    public int GaveUp { get; private set; }

    public void Start() => queue.After(RandomDelay(settings.MaxThinkTime), Next);

    /// <summary>Issue no new operation; the one in progress, if any, keeps its chance to complete.</summary>
    public void Stop() => _stopped = true;

    private void Next()
    {
        if (_stopped || _pending is not null) return;
        if (settings.HoldUntil?.Invoke(queue.Now) is { } until && until > queue.Now)
        {
            queue.At(until + RandomDelay(settings.MaxThinkTime), Next);
            return;
        }
        var input = ChooseOperation();
        var sequence = input.Kind == KvOpKind.Get ? 0 : ++_sequence;
        _pending = new Pending(++_ops, history.Invoke(Id, input), input, sequence, queue.Now);
        Attempt(_pending);
    }

    private KvInput ChooseOperation()
    {
        var key = settings.Keys[random.Next(settings.Keys.Count)];
        var value = $"{Id}.{_ops + 1}";
        return random.Next(100) switch
        {
            < 35 => KvInput.Get(key),
            < 55 => KvInput.Set(key, value),
            < 85 => KvInput.Append(key, value),
            // Expect a value this client saw (often current, sometimes stale) or absence.
            _ => KvInput.Cas(key, random.Next(4) == 0 ? null : _lastSeen, value),
        };
    }

    private void Attempt(Pending op)
    {
        var attempt = ++op.Attempt;
        var target = _leaderHint ?? transport.Peers[random.Next(transport.Peers.Count)];
        void OnReply(KvReply reply) => HandleReply(op, attempt, target, reply);
        if (op.Input.Kind == KvOpKind.Get) transport.SendRead(target, op.Input.Key, nextReadContext(), OnReply);
        else transport.SendWrite(target, new KvCommand(Id, op.Sequence, op.Input), OnReply);

        queue.After(settings.AttemptTimeout, () =>
        {
            if (!ReferenceEquals(_pending, op) || op.Attempt != attempt) return;
            _leaderHint = null;
            Retry(op);
        });
    }

    private void HandleReply(Pending op, int attempt, string target, KvReply reply)
    {
        if (!ReferenceEquals(_pending, op)) return;
        if (reply.Status == KvReplyStatus.Ok)
        {
            // Any attempt's answer is right: a write's result comes from the session table, and a read was
            // served at some instant after this operation was invoked.
            history.Complete(op.Handle, reply.Output);
            if (op.Input.Kind != KvOpKind.Get) ExpireAbandoned();
            if (op.Input.Kind == KvOpKind.Get) _lastSeen = reply.Output.Value;
            _leaderHint = target;
            _pending = null;
            queue.After(RandomDelay(settings.MaxThinkTime), Next);
            return;
        }
        if (op.Attempt != attempt) return;
        // A busy leader is still the leader: back off and ask it again. Otherwise follow the hint, if any.
        _leaderHint = reply.Status == KvReplyStatus.Busy ? target
            : reply.LeaderHint is { } hint && hint != target ? hint : null;
        queue.After(RandomDelay(settings.RetryBackoff), () =>
        {
            if (ReferenceEquals(_pending, op) && op.Attempt == attempt) Retry(op);
        });
    }

    private void Retry(Pending op)
    {
        if (queue.Now - op.Started > settings.GiveUpAfter || _stopped)
        {
            // Unknown outcome: the history keeps the call without a return.
            GaveUp++;
            if (op.Input.Kind != KvOpKind.Get) _abandoned.Add(op.Handle);
            _pending = null;
            queue.After(RandomDelay(settings.MaxThinkTime), Next);
            return;
        }
        Attempt(op);
    }

    /// <summary>This client's latest write has been applied, so the session table will ignore every earlier
    /// sequence number from now on: the writes it abandoned can no longer take effect.</summary>
    private void ExpireAbandoned()
    {
        foreach (var handle in _abandoned) history.Expire(handle);
        _abandoned.Clear();
    }

    private long RandomDelay(long max) => (long)(random.NextDouble() * max);
}
