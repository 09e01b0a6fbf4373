using System.Data.Common;
using OrleansRaft.Hosting.Sql;

namespace OrleansRaft.Cluster.Tests.Storage;

/// <summary>Every connection Orleans gets for a peer file is durable on commit and waits for locks, also when the
/// pool hands out a handle that was configured before.</summary>
public sealed class SqlitePragmaTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"orleansraft-pragma-{Guid.NewGuid():N}");

    [Fact]
    public void Pooled_connections_keep_synchronous_full_and_the_busy_timeout()
    {
        var file = Path.Combine(_directory, "peer.db");
        SqliteDatabase.EnsureSchema(file, SqlScripts.SqlitePersistence);
        using var source = new SqliteDatabase.PragmaDataSource(SqliteDatabase.ConnectionString(file));
        for (var open = 0; open < 3; open++)
        {
            using var connection = source.OpenConnection();
            Assert.Equal(2L, Scalar(connection, "PRAGMA synchronous;")); // FULL
            Assert.Equal((long)SqliteDatabase.BusyTimeoutMs, Scalar(connection, "PRAGMA busy_timeout;"));
            Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        }
    }

    private static object? Scalar(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
