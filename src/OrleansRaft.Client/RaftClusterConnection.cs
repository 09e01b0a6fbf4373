using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace OrleansRaft.Client;

/// <summary>
/// A connected Orleans client to a local OrleansRaft cluster, with its <see cref="IRaftKvClient"/>. For tools,
/// tests and samples; applications that have their own host use <c>UseOrleansRaftLocalCluster</c> and
/// <c>AddOrleansRaftClient</c> instead. Dispose it to close the connection.
/// </summary>
public sealed class RaftClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private RaftClusterConnection(IHost host)
    {
        _host = host;
        ClusterClient = host.Services.GetRequiredService<IClusterClient>();
        Kv = host.Services.GetRequiredService<IRaftKvClient>();
    }

    public IClusterClient ClusterClient { get; }

    public IRaftKvClient Kv { get; }

    /// <summary>
    /// Connects to the gateways on 127.0.0.1 at <paramref name="gatewayPorts"/> (default
    /// <see cref="OrleansRaftDefaults.GatewayPorts"/>), retrying until <paramref name="connectTimeout"/> so that
    /// a cluster still starting up is waited for. Throws <see cref="RaftKvUnavailableException"/> (with an empty
    /// <see cref="RaftKvException.Group"/>) when no gateway answered in time.
    /// </summary>
    public static async Task<RaftClusterConnection> ConnectLocalAsync(
        IEnumerable<int>? gatewayPorts, TimeSpan connectTimeout, Action<RaftKvClientOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(connectTimeout, TimeSpan.Zero);
        var ports = (gatewayPorts ?? OrleansRaftDefaults.GatewayPorts).ToArray();
        var endpoints = ClientBuilderExtensions.GatewayEndpoints(ports);

        // An empty builder: no console logging (a CLI's stdout is its protocol), no appsettings, no environment.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseOrleansClient(client =>
        {
            client.UseOrleansRaftLocalCluster(ports);
            // The client's start waits for a cluster manifest from one gateway; when that gateway is down it
            // pauses min(TypeMapRefreshInterval, 5 s) before trying another. With one silo of three dead that
            // pause alone ate most of a short deadline, so a tool polls the manifest every second instead.
            client.Configure<TypeManagementOptions>(options => options.TypeMapRefreshInterval = TimeSpan.FromSeconds(1));
            // Without a filter the first refused connection fails the start; with it, we keep trying until the
            // deadline cancels the start, which is what "wait for the cluster up to the timeout" means.
            client.UseConnectionRetryFilter(async (_, token) =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), token).ConfigureAwait(false);
                return true;
            });
        });
        builder.Services.AddOrleansRaftClient(configure);
        var host = builder.Build();

        using var deadline = new CancellationTokenSource(connectTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        Exception failure;
        try
        {
            await host.StartAsync(linked.Token).ConfigureAwait(false);
            return new RaftClusterConnection(host);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(host).ConfigureAwait(false);
            throw;
        }
        catch (Exception e)
        {
            failure = e;
        }
        await DisposeQuietlyAsync(host).ConfigureAwait(false);
        var where = string.Join(", ", endpoints.Select(e => e.ToString()));
        var why = failure is OperationCanceledException ? "" : $": {failure.Message}";
        throw new RaftKvUnavailableException("",
            $"no OrleansRaft gateway reachable at {where} within {RaftKvGroup.Seconds(connectTimeout)}{why}", innerException: failure);
    }

    public async ValueTask DisposeAsync() => await DisposeQuietlyAsync(_host).ConfigureAwait(false);

    // Stopping a client whose cluster is gone can itself fail or hang; closing must never be the error a user sees.
    private static async Task DisposeQuietlyAsync(IHost host)
    {
        try
        {
            using var stopDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await host.StopAsync(stopDeadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException
            or Orleans.Runtime.OrleansException or TimeoutException)
        {
        }
        finally
        {
            if (host is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            else host.Dispose();
        }
    }
}
