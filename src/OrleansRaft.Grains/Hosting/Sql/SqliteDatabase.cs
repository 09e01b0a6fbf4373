using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace OrleansRaft.Hosting.Sql;

/// <summary>
/// One SQLite file of the embedded default: creates it with its schema (idempotently, safe when several silo
/// processes start at once) and hands Orleans connections with the pragmas it cannot set itself.
/// </summary>
internal static class SqliteDatabase
{
    /// <summary>ADO.NET invariant Orleans maps to Microsoft.Data.Sqlite.</summary>
    public const string Invariant = "System.Data.SQLite";

    /// <summary>How long a writer waits for another process's lock before failing (milliseconds).</summary>
    public const int BusyTimeoutMs = 5000;

    /// <summary>WAL pages after which a committing write checkpoints inline (64 MiB with 4 KiB pages). Normally
    /// <see cref="SqliteCheckpointer"/> checkpoints long before; this only bounds the WAL if it cannot.</summary>
    public const int AutoCheckpointPages = 16384;

    public static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.GetFullPath(path),
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public static void EnsureSchema(string path, params string[] scripts)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var connection = new SqliteConnection(ConnectionString(path));
        connection.Open();
        Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutMs};");
        // WAL is a property of the file and must be set outside a transaction; readers then never block the writer.
        Execute(connection, "PRAGMA journal_mode = WAL;");
        foreach (var script in scripts)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = SqlScripts.Read(script);
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Opens connections with a busy timeout (so processes sharing the membership file wait instead of
    /// failing), synchronous=FULL (a write is on disk when Orleans is told it is) and a high auto-checkpoint
    /// threshold (checkpoints run in the background, see <see cref="SqliteCheckpointer"/>).</summary>
    public sealed class PragmaDataSource(string connectionString) : DbDataSource
    {
        private static readonly ConditionalWeakTable<object, object> Configured = new();
        private static readonly object Marker = new();

        public override string ConnectionString => connectionString;

        protected override DbConnection CreateDbConnection() => new SqliteConnection(connectionString);

        protected override DbConnection OpenDbConnection()
        {
            var connection = new SqliteConnection(connectionString);
            connection.Open();
            // A pooled connection reopens on the same native handle, which keeps its pragmas: set them once per
            // handle instead of parsing and running them again before every write.
            if (connection.Handle is { } handle && !Configured.TryGetValue(handle, out _))
            {
                Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = {AutoCheckpointPages};");
                Configured.AddOrUpdate(handle, Marker);
            }
            return connection;
        }

        protected override ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(OpenDbConnection());
    }
}
