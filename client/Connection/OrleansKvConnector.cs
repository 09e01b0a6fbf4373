using OrleansRaft.Cli.Arguments;
using OrleansRaft.Client;

namespace OrleansRaft.Cli.Connection;

/// <summary>The real connector: an Orleans client to the gateways on 127.0.0.1, one session, one group.</summary>
internal static class OrleansKvConnector
{
    public static async Task<IKvConnection> ConnectAsync(CliSettings settings, CancellationToken cancellationToken)
    {
        var connection = await RaftClusterConnection.ConnectLocalAsync(
            settings.GatewayPorts, settings.Timeout, options => options.OperationTimeout = settings.Timeout, cancellationToken);
        return new Connected(connection, connection.Kv.Group(settings.Group));
    }

    private sealed class Connected(RaftClusterConnection connection, IRaftKv kv) : IKvConnection
    {
        public IRaftKv Kv { get; } = kv;

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
