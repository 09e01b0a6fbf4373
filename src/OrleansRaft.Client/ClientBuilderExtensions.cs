using System.Net;
using Orleans.Configuration;
using Orleans.Hosting;

namespace OrleansRaft.Client;

public static class ClientBuilderExtensions
{
    /// <summary>
    /// Points an Orleans client at a local OrleansRaft cluster: one gateway per port on 127.0.0.1 (default
    /// <see cref="OrleansRaftDefaults.GatewayPorts"/>, the ports of <c>silo cluster</c>). See <see cref="UseOrleansRaftCluster"/>.
    /// </summary>
    public static IClientBuilder UseOrleansRaftLocalCluster(this IClientBuilder builder, IEnumerable<int>? gatewayPorts = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseOrleansRaftCluster(GatewayEndpoints(gatewayPorts ?? OrleansRaftDefaults.GatewayPorts));
    }

    /// <summary>
    /// Points an Orleans client at the OrleansRaft cluster whose silos have these gateways (static clustering: the
    /// client needs no access to the membership table), with the cluster and service ids of
    /// <see cref="OrleansRaftDefaults"/>. Give every silo's gateway: the client spreads over them and moves on when
    /// one goes away. A <see cref="GatewayAddress"/> with a host name becomes an endpoint through
    /// <see cref="GatewayAddress.ResolveAsync"/>.
    /// </summary>
    public static IClientBuilder UseOrleansRaftCluster(this IClientBuilder builder, IEnumerable<IPEndPoint> gateways)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(gateways);
        var endpoints = gateways.ToArray();
        if (endpoints.Length == 0) throw new ArgumentException("At least one gateway is needed.", nameof(gateways));
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
