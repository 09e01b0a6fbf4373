using System.Data.Common;
using OrleansRaft.Hosting.Sql;

namespace OrleansRaft.Cluster.Tests.Storage;

/// <summary>Every connection Orleans gets for a peer file is durable on commit and waits for locks, also when the
/// pool hands out a handle that was configured before.</summary>
public sealed class SqlitePragmaTests : IDisposable
{
    private readonly SqlitePeerFile _peer = new();

    [Fact]
    public void Pooled_connections_keep_synchronous_full_and_the_busy_timeout()
    {
        using var source = _peer.OpenDataSource();
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

    public void Dispose() => _peer.Dispose();
}
