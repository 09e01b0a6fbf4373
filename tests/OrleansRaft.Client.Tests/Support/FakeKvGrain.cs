using OrleansRaft.Kv;
using OrleansRaft.Membership;
using OrleansRaft.Peers;

namespace OrleansRaft.Client.Tests.Support;

/// <summary>One call the client made to the facade grain.</summary>
/// <remarks>Membership calls put the node in <see cref="Key"/> (null for a transfer without a target).</remarks>
internal sealed record KvCall(
    string Method, string? Key, RequestId? RequestId = null, ReadConsistency? Consistency = null, string? Value = null, string? Expected = null,
    bool? AsLearner = null);

/// <summary>
/// A scripted facade grain: answers each call with the next scripted response or exception (the last one
/// repeats), and records the calls, so tests see exactly what the client sent and how it read the answers.
/// KV calls and membership calls have a script each (see <c>FakeKvGrain.Membership.cs</c>).
/// </summary>
internal sealed partial class FakeKvGrain : IKvGrain
{
    private readonly Queue<Func<CancellationToken, Task<KvResponse>>> _script = new();
    private Func<CancellationToken, Task<KvResponse>> _last = _ => Task.FromResult(new KvResponse(KvStatus.Ok));

    public List<KvCall> Calls { get; } = [];

    public PeerStatusList StatusAnswer { get; set; } = new("kv", [], []);

    public FakeKvGrain Answer(KvStatus status, string? value = null, string? error = null) =>
        Then(_ => Task.FromResult(new KvResponse(status, value, error)));

    public FakeKvGrain Throw(Exception exception) => Then(_ => Task.FromException<KvResponse>(exception));

    /// <summary>Never answers: the call ends only when the client cancels it, as a call to a hung silo would.</summary>
    public FakeKvGrain Hang() => Then(async ct =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    });

    private FakeKvGrain Then(Func<CancellationToken, Task<KvResponse>> step)
    {
        _script.Enqueue(step);
        _last = step;
        return this;
    }

    private Task<KvResponse> Next(KvCall call, CancellationToken ct)
    {
        lock (Calls) Calls.Add(call);
        return (_script.TryDequeue(out var step) ? step : _last)(ct);
    }

    public Task<KvResponse> Get(string key, ReadConsistency consistency = ReadConsistency.Linearizable, CancellationToken cancellationToken = default) =>
        Next(new KvCall("Get", key, Consistency: consistency), cancellationToken);

    public Task<KvResponse> Set(string key, string value, RequestId? requestId = null, CancellationToken cancellationToken = default) =>
        Next(new KvCall("Set", key, requestId, Value: value), cancellationToken);

    public Task<KvResponse> Delete(string key, RequestId? requestId = null, CancellationToken cancellationToken = default) =>
        Next(new KvCall("Delete", key, requestId), cancellationToken);

    public Task<KvResponse> CompareAndSet(string key, string? expected, string value, RequestId? requestId = null, CancellationToken cancellationToken = default) =>
        Next(new KvCall("CompareAndSet", key, requestId, Value: value, Expected: expected), cancellationToken);

    public Task<KvResponse> Append(string key, string value, RequestId? requestId = null, CancellationToken cancellationToken = default) =>
        Next(new KvCall("Append", key, requestId, Value: value), cancellationToken);

    public Task<PeerStatusList> Status(CancellationToken cancellationToken = default)
    {
        lock (Calls) Calls.Add(new KvCall("Status", ""));
        return Task.FromResult(StatusAnswer);
    }
}
