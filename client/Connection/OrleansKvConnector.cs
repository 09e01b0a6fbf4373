using OrleansRaft.Cli.Arguments;
using OrleansRaft.Client;

namespace OrleansRaft.Cli.Connection;

/// <summary>The real connector: an Orleans client to the gateways of <c>--gateway</c>, one session, one group.</summary>
internal static class OrleansKvConnector
{
    public static async Task<IKvConnection> ConnectAsync(CliSettings settings, CancellationToken cancellationToken)
    {
        var connection = await RaftClusterConnection.ConnectAsync(
            settings.Gateways, settings.Timeout, options => Configure(options, settings), cancellationToken);
        return new Connected(connection, settings);
    }

    private static void Configure(RaftKvClientOptions options, CliSettings settings) => options.OperationTimeout = settings.Timeout;

    private sealed class Connected(RaftClusterConnection connection, CliSettings settings) : IKvConnection
    {
        public IRaftKv Kv { get; } = connection.Kv.Group(settings.Group);

        public IRaftKv NewSession()
        {
            var options = new RaftKvClientOptions();
            Configure(options, settings);
            return new RaftKvClient(connection.ClusterClient, options).Group(settings.Group);
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
