namespace OrleansRaft.Client;

/// <summary>
/// Names and ports shared by the silo host and every client of a local OrleansRaft cluster. The silo host
/// uses the same constants so that a client configured with defaults finds it.
/// </summary>
public static class OrleansRaftDefaults
{
    /// <summary>The Orleans <c>ClusterOptions.ClusterId</c> of an OrleansRaft cluster.</summary>
    public const string ClusterId = "orleansraft";

    /// <summary>The Orleans <c>ClusterOptions.ServiceId</c>; grain storage rows are keyed by it, so it must never change.</summary>
    public const string ServiceId = "orleansraft";

    /// <summary>The Raft group clients talk to unless told otherwise.</summary>
    public const string Group = "kv";

    /// <summary>Silo N of <c>silo run</c> and <c>silo cluster</c> listens for gateway clients on this port + N.</summary>
    public const int BaseGatewayPort = 30000;

    /// <summary>The gateway ports of the default three-silo local cluster, all on 127.0.0.1.</summary>
    public static IReadOnlyList<int> GatewayPorts { get; } = [BaseGatewayPort, BaseGatewayPort + 1, BaseGatewayPort + 2];

    /// <summary>The gateways of the default three-silo local cluster: <see cref="GatewayPorts"/> on 127.0.0.1.</summary>
    public static IReadOnlyList<GatewayAddress> Gateways { get; } = [.. GatewayPorts.Select(GatewayAddress.Loopback)];
}
