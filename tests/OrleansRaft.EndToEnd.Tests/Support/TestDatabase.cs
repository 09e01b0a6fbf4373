using Npgsql;

namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>
/// A database of its own for one test, on the server of <see cref="PostgresFactAttribute.ConnectionString"/>: every
/// test that deploys "machines" gets a fresh membership table (and grain storage), so tests never see each other's
/// silos, whatever ran before. Dropped on disposal unless ORLEANSRAFT_E2E_KEEP=1.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _server;

    private TestDatabase(string server, string name, string connectionString)
    {
        _server = server;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The connection string of the new database: what the silos get as <c>--connection</c>.</summary>
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var server = PostgresFactAttribute.ConnectionString;
        if (string.IsNullOrWhiteSpace(server))
            throw new InvalidOperationException($"{PostgresFactAttribute.Variable} is not set: this test needs a PostgreSQL server");
        var name = $"orleansraft_e2e_{DateTime.UtcNow:yyyyMMddHHmmss}_{Guid.NewGuid().ToString("N")[..8]}";
        await ExecuteAsync(server, $"CREATE DATABASE {name}");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
        return new TestDatabase(server, name, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("ORLEANSRAFT_E2E_KEEP") == "1") return;
        try
        {
            await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        }
        catch (NpgsqlException)
        {
            // A leftover database on a throwaway server is harmless; a failed drop must not hide the test's outcome.
        }
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        // Through the database the variable names: a database cannot be dropped from a connection to itself.
        var builder = new NpgsqlConnectionStringBuilder(server) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
