using OrleansRaft.Kv;

namespace OrleansRaft.Client;

/// <summary>
/// <see cref="IRaftKv"/> over the facade grain of one group: validates arguments, tags writes with the session's
/// request ids, and turns every answer into a return value or a typed exception (see <c>RaftKvGroup.Invoke.cs</c>).
/// </summary>
internal sealed partial class RaftKvGroup : IRaftKv
{
    private readonly IKvGrain _grain;
    private readonly RaftKvSession _session;
    private readonly SemaphoreSlim _writeSlots;
    private readonly RaftKvClientOptions _options;
    private readonly TimeProvider _time;
    private readonly GatewayLossSignal? _gatewayLoss;

    public RaftKvGroup(string group, IKvGrain grain, RaftKvSession session, SemaphoreSlim writeSlots, RaftKvClientOptions options, TimeProvider time,
        GatewayLossSignal? gatewayLoss = null)
    {
        _gatewayLoss = gatewayLoss;
        Group = group;
        _grain = grain;
        _session = session;
        _writeSlots = writeSlots;
        _options = options;
        _time = time;
    }

    public string Group { get; }

    public async Task<string?> GetAsync(string key, ReadConsistency consistency = ReadConsistency.Linearizable, CancellationToken cancellationToken = default)
    {
        KvArguments.ValidateKey(key);
        var response = await InvokeAsync("get", isWrite: false, (g, ct) => g.Get(key, consistency, ct), cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            KvStatus.Ok => response.Value ?? "",
            KvStatus.NotFound => null,
            _ => throw Unexpected("get", response),
        };
    }

    public async Task SetAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        KvArguments.ValidateKey(key);
        KvArguments.ValidateValue(value);
        var response = await WriteAsync("set", (g, id, ct) => g.Set(key, value, id, ct), cancellationToken).ConfigureAwait(false);
        if (response.Status != KvStatus.Ok) throw Unexpected("set", response);
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        KvArguments.ValidateKey(key);
        var response = await WriteAsync("delete", (g, id, ct) => g.Delete(key, id, ct), cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            KvStatus.Ok => true,
            KvStatus.NotFound => false,
            _ => throw Unexpected("delete", response),
        };
    }

    public async Task<CasResult> CompareAndSetAsync(string key, string? expected, string value, CancellationToken cancellationToken = default)
    {
        KvArguments.ValidateKey(key);
        if (expected is not null) KvArguments.ValidateValue(expected, nameof(expected));
        KvArguments.ValidateValue(value);
        var response = await WriteAsync("compare-and-set", (g, id, ct) => g.CompareAndSet(key, expected, value, id, ct), cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            KvStatus.Swapped => new CasResult(true, value),
            KvStatus.NotSwapped => new CasResult(false, response.Value),
            _ => throw Unexpected("compare-and-set", response),
        };
    }

    public async Task AppendAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        KvArguments.ValidateKey(key);
        KvArguments.ValidateValue(value);
        var response = await WriteAsync("append", (g, id, ct) => g.Append(key, value, id, ct), cancellationToken).ConfigureAwait(false);
        if (response.Status != KvStatus.Ok) throw Unexpected("append", response);
    }

    public Task<PeerStatusList> StatusAsync(CancellationToken cancellationToken = default) =>
        InvokeTransportAsync("status", (g, ct) => g.Status(ct), cancellationToken);

    /// <summary>A write: one request id for all its attempts, and a slot in the session's in-flight window.</summary>
    private async Task<KvResponse> WriteAsync(string operation, Func<IKvGrain, RequestId, CancellationToken, Task<KvResponse>> call, CancellationToken cancellationToken)
    {
        await _writeSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var requestId = _session.NextRequestId();
        try
        {
            return await InvokeAsync(operation, isWrite: true, (g, ct) => call(g, requestId, ct), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _session.Answered(requestId);
            _writeSlots.Release();
        }
    }

    // A success status the operation cannot produce means client and server disagree about the protocol: a bug, not an outage.
    private InvalidOperationException Unexpected(string operation, KvResponse response) =>
        new($"Group '{Group}' answered {operation} with status {response.Status}, which {operation} never returns.");
}
