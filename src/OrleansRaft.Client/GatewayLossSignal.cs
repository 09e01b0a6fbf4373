using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrleansRaft.Client;

/// <summary>
/// Tells the KV client at once when the Orleans client loses a gateway connection. A request sent through a
/// gateway that dies gets no answer and, unless told, its caller waits for its whole deadline. The client cancels
/// its attempts in flight when this token fires and retries them through the surviving gateways with the same
/// request ids, which the group's session table makes safe.
/// </summary>
public sealed class GatewayLossSignal : IClusterConnectionStatusObserver
{
    private CancellationTokenSource _current = new();

    /// <summary>Cancelled when a gateway connection closes; each loss cancels the token handed out before it.</summary>
    public CancellationToken Token => Volatile.Read(ref _current).Token;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways) Signal();
    }

    public void NotifyClusterConnectionLost() => Signal();

    private void Signal()
    {
        // Not disposed: an attempt may be linking to its token at this very moment. Without a timer it holds nothing
        // the garbage collector cannot take back.
        Interlocked.Exchange(ref _current, new CancellationTokenSource()).Cancel();
    }

    /// <summary>Registers the signal as an observer of the Orleans client in <paramref name="services"/> (once).</summary>
    internal static void Register(IServiceCollection services)
    {
        services.TryAddSingleton<GatewayLossSignal>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IClusterConnectionStatusObserver, GatewayLossSignal>(
            sp => sp.GetRequiredService<GatewayLossSignal>()));
    }
}
