using OrleansRaft.Cli.Arguments;
using OrleansRaft.Client;

namespace OrleansRaft.Cli.Connection;

/// <summary>An open connection to one group. Commands see only this, so tests run them against an in-memory fake.</summary>
internal interface IKvConnection : IAsyncDisposable
{
    IRaftKv Kv { get; }

    /// <summary>The same group through a new client session (its own client id and sequence) on the same
    /// connection: for tools that act as several independent clients, each exactly-once on its own.</summary>
    IRaftKv NewSession();
}

/// <summary>Opens a connection as the settings say, or throws (a <see cref="RaftKvUnavailableException"/> when
/// no gateway answers).</summary>
internal delegate Task<IKvConnection> KvConnector(CliSettings settings, CancellationToken cancellationToken);
