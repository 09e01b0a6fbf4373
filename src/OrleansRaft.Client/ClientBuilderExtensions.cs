using System.Net;
using Orleans.Configuration;
using Orleans.Hosting;

namespace OrleansRaft.Client;

public static class ClientBuilderExtensions
{
    /// <summary>
    /// Points an Orleans client at a local OrleansRaft cluster: static clustering with one gateway per port on
    /// 127.0.0.1 (default <see cref="OrleansRaftDefaults.GatewayPorts"/>), and the cluster and service ids of
    /// <see cref="OrleansRaftDefaults"/>.
    /// </summary>
    public static IClientBuilder UseOrleansRaftLocalCluster(this IClientBuilder builder, IEnumerable<int>? gatewayPorts = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var endpoints = GatewayEndpoints(gatewayPorts ?? OrleansRaftDefaults.GatewayPorts);
        builder.UseStaticClustering(endpoints);
        GatewayLossSignal.Register(builder.Services);
        builder.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = OrleansRaftDefaults.ClusterId;
            options.ServiceId = OrleansRaftDefaults.ServiceId;
        });
        return builder;
    }

    internal static IPEndPoint[] GatewayEndpoints(IEnumerable<int> ports)
    {
        var endpoints = ports.Select(port => port is >= IPEndPoint.MinPort + 1 and <= IPEndPoint.MaxPort
            ? new IPEndPoint(IPAddress.Loopback, port)
            : throw new ArgumentOutOfRangeException(nameof(ports), port, "A gateway port must be between 1 and 65535.")).ToArray();
        if (endpoints.Length == 0) throw new ArgumentException("At least one gateway port is needed.", nameof(ports));
        return endpoints;
    }
}
