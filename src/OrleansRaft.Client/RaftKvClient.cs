using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrleansRaft.Kv;

namespace OrleansRaft.Client;

/// <summary>
/// The typed KV client: one <see cref="RaftKvSession"/> (random client id, growing sequence) shared by every
/// group it serves. Thread-safe; create one per application (or let <c>AddOrleansRaftClient</c> do it) and
/// keep it, because a new instance is a new session.
/// </summary>
public sealed class RaftKvClient : IRaftKvClient
{
    private readonly Func<string, IKvGrain> _resolve;
    private readonly RaftKvClientOptions _options;
    private readonly TimeProvider _time;
    private readonly RaftKvSession _session;
    private readonly SemaphoreSlim _writeSlots;
    private readonly GatewayLossSignal? _gatewayLoss;
    private readonly ConcurrentDictionary<string, RaftKvGroup> _groups = new(StringComparer.Ordinal);

    /// <param name="grains">The Orleans client (or any grain factory) to reach the facade grains through.</param>
    /// <remarks>When <paramref name="grains"/> is an Orleans client configured through <c>UseOrleansRaftLocalCluster</c>
    /// or <c>AddOrleansRaftClient</c>, requests in flight through a gateway that dies are retried at once.</remarks>
    public RaftKvClient(IGrainFactory grains, RaftKvClientOptions? options = null)
        : this(group => grains.GetGrain<IKvGrain>(group), options ?? new RaftKvClientOptions(), TimeProvider.System, new RaftKvSession(),
            (grains as IClusterClient)?.ServiceProvider.GetService(typeof(GatewayLossSignal)) as GatewayLossSignal)
    {
        ArgumentNullException.ThrowIfNull(grains);
    }

    internal RaftKvClient(Func<string, IKvGrain> resolve, RaftKvClientOptions options, TimeProvider time, RaftKvSession session, GatewayLossSignal? gatewayLoss = null)
    {
        var validation = new RaftKvClientOptionsValidator().Validate(null, options);
        if (validation.Failed) throw new OptionsValidationException(nameof(RaftKvClientOptions), typeof(RaftKvClientOptions), validation.Failures);
        _resolve = resolve;
        _options = options;
        _time = time;
        _session = session;
        _gatewayLoss = gatewayLoss;
        _writeSlots = new SemaphoreSlim(options.MaxWritesInFlight, options.MaxWritesInFlight);
    }

    public string ClientId => _session.ClientId;

    public IRaftKv Group(string group = OrleansRaftDefaults.Group)
    {
        KvArguments.ValidateGroup(group);
        return _groups.GetOrAdd(group, g => new RaftKvGroup(g, _resolve(g), _session, _writeSlots, _options, _time, _gatewayLoss));
    }
}
