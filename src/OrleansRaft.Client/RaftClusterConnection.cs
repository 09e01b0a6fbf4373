using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace OrleansRaft.Client;

/// <summary>
/// A connected Orleans client to an OrleansRaft cluster, with its <see cref="IRaftKvClient"/>. For tools, tests and
/// samples; applications that have their own host use <c>UseOrleansRaftCluster</c> (or <c>UseOrleansRaftLocalCluster</c>)
/// and <c>AddOrleansRaftClient</c> instead. Dispose it to close the connection.
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
    /// <see cref="OrleansRaftDefaults.GatewayPorts"/>): <see cref="ConnectAsync"/> for a local cluster.
    /// </summary>
    public static Task<RaftClusterConnection> ConnectLocalAsync(
        IEnumerable<int>? gatewayPorts, TimeSpan connectTimeout, Action<RaftKvClientOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var ports = (gatewayPorts ?? OrleansRaftDefaults.GatewayPorts).ToArray();
        ClientBuilderExtensions.GatewayEndpoints(ports); // argument checks, before anything connects
        return ConnectAsync(ports.Select(GatewayAddress.Loopback), connectTimeout, configure, cancellationToken);
    }

    /// <summary>
    /// Connects to the cluster through <paramref name="gateways"/> (default <see cref="OrleansRaftDefaults.Gateways"/>,
    /// the local launcher's), retrying until <paramref name="connectTimeout"/> so that a cluster still starting up is
    /// waited for. Throws <see cref="RaftKvUnavailableException"/> (with an empty <see cref="RaftKvException.Group"/>)
    /// when no gateway answered in time or a gateway's host name does not resolve.
    /// </summary>
    public static async Task<RaftClusterConnection> ConnectAsync(
        IEnumerable<GatewayAddress>? gateways, TimeSpan connectTimeout, Action<RaftKvClientOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(connectTimeout, TimeSpan.Zero);
        var addresses = (gateways ?? OrleansRaftDefaults.Gateways).ToArray();
        if (addresses.Length == 0) throw new ArgumentException("At least one gateway is needed.", nameof(gateways));
        using var deadline = new CancellationTokenSource(connectTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var endpoints = await ResolveAsync(addresses, connectTimeout, linked.Token, cancellationToken).ConfigureAwait(false);
        var listening = await GatewayProbe.ListeningAsync(endpoints, linked.Token).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        // An empty builder: no console logging (a CLI's stdout is its protocol), no appsettings, no environment.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseOrleansClient(client =>
        {
            client.UseOrleansRaftCluster(endpoints);
            // Start on a gateway that listens (one of them at random, to spread clients); Orleans takes the one
            // after its preferred index first.
            if (listening.Length > 0)
                client.Configure<GatewayOptions>(options =>
                    options.PreferredGatewayIndex = (listening[Random.Shared.Next(listening.Length)] + endpoints.Length - 1) % endpoints.Length);
            // The client's start waits for a cluster manifest from one gateway; when that gateway is down it
            // pauses min(TypeMapRefreshInterval, 5 s) before trying another. With one silo of three dead that
            // pause alone ate most of a short deadline, so a tool polls the manifest every second instead.
            client.Configure<TypeManagementOptions>(options => options.TypeMapRefreshInterval = TimeSpan.FromSeconds(1));
            // A silo that is still starting accepts connections on its gateway port before it completes a handshake;
            // the client asks one gateway for the manifest and would wait out the default 5 s open timeout on such
            // a gateway before trying the next (after a crash of every silo, the first read waited for the slowest
            // silo). A second is plenty for a handshake between machines, and a refused gateway is retried sooner.
            client.Configure<ConnectionOptions>(options =>
            {
                options.OpenConnectionTimeout = TimeSpan.FromSeconds(1);
                options.ConnectionRetryDelay = TimeSpan.FromMilliseconds(200);
            });
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

        Exception failure;
        try
        {
            await host.StartAsync(linked.Token).ConfigureAwait(false);
            await WaitForKvGrainAsync(host.Services.GetRequiredService<IClusterClient>(), linked.Token).ConfigureAwait(false);
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
        var where = string.Join(", ", addresses.Select(a => a.ToString()));
        var why = failure is OperationCanceledException ? "" : $": {failure.Message}";
        throw new RaftKvUnavailableException("",
            $"no OrleansRaft gateway reachable at {where} within {RaftKvGroup.Seconds(connectTimeout)}{why}", innerException: failure);
    }

    /// <summary>
    /// A gateway of a silo that is still starting can hand the client a view of the cluster without the OrleansRaft
    /// grain types yet, and <c>GetGrain</c> then throws. Until the view lists the facade (the client refreshes it every
    /// second), the cluster is not reachable as far as this client is concerned.
    /// </summary>
    private static async Task WaitForKvGrainAsync(IClusterClient client, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                client.GetGrain<Kv.IKvGrain>(OrleansRaftDefaults.Group);
                return;
            }
            catch (ArgumentException e)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException canceled)
                {
                    throw new InvalidOperationException($"the gateways answered, but the cluster offers no OrleansRaft facade yet ({e.Message})", canceled);
                }
            }
        }
    }

    private static async Task<System.Net.IPEndPoint[]> ResolveAsync(
        GatewayAddress[] addresses, TimeSpan connectTimeout, CancellationToken deadline, CancellationToken cancellationToken)
    {
        try
        {
            return await Task.WhenAll(addresses.Select(a => a.ResolveAsync(deadline))).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RaftKvUnavailableException("",
                $"the gateways' host names ({string.Join(", ", addresses.Select(a => a.ToString()))}) did not resolve within {RaftKvGroup.Seconds(connectTimeout)}", innerException: e);
        }
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
