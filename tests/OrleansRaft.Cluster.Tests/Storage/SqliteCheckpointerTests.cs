using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansRaft.Hosting.Sql;

namespace OrleansRaft.Cluster.Tests.Storage;

/// <summary>The background checkpointer moves the WAL into the database, so writes need not do it inline.</summary>
public sealed class SqliteCheckpointerTests : IDisposable
{
    private readonly SqlitePeerFile _peer = new();

    [Fact]
    public void A_checkpoint_moves_what_the_peer_connections_wrote_into_the_database_file()
    {
        var file = _peer.File;
        using (var source = _peer.OpenDataSource())
        {
            for (var i = 0; i < 50; i++)
            {
                using var connection = source.OpenConnection();
                using var command = (SqliteCommand)connection.CreateCommand();
                command.CommandText = "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ($key, $text);";
                command.Parameters.AddWithValue("$key", $"k{i}");
                command.Parameters.AddWithValue("$text", new string('x', 3000));
                command.ExecuteNonQuery();
            }
        }
        Assert.Equal(0, RowsInDatabaseFileAlone(file)); // the rows live only in the WAL so far

        new SqliteCheckpointer([file], NullLogger<SqliteCheckpointer>.Instance).Checkpoint(file);

        Assert.Equal(50, RowsInDatabaseFileAlone(file));
    }

    [Fact]
    public void A_wal_not_written_since_the_last_pass_is_truncated_and_one_still_written_is_not()
    {
        var file = _peer.File;
        using var source = _peer.OpenDataSource();
        var checkpointer = new SqliteCheckpointer([file], NullLogger<SqliteCheckpointer>.Instance);
        Insert(source, "a");
        checkpointer.Checkpoint(file);
        Assert.True(new FileInfo(file + "-wal").Length > 0, "the first pass after a write only copies the WAL");

        Insert(source, "b");
        File.SetLastWriteTimeUtc(file + "-wal", DateTime.UtcNow.AddSeconds(5)); // the write is newer than the last pass
        checkpointer.Checkpoint(file);
        Assert.True(new FileInfo(file + "-wal").Length > 0, "a WAL written since the last pass was truncated");

        checkpointer.Checkpoint(file);
        Assert.Equal(0, new FileInfo(file + "-wal").Length);
        Assert.Equal(2, RowsInDatabaseFileAlone(file, "idle%"));
    }

    [Fact]
    public void A_missing_file_is_skipped_not_created()
    {
        var file = Path.Combine(_peer.Directory, "absent.db");
        new SqliteCheckpointer([file], NullLogger<SqliteCheckpointer>.Instance).Checkpoint(file);
        Assert.False(File.Exists(file));
    }

    private static void Insert(SqliteDatabase.PragmaDataSource source, string key)
    {
        using var connection = source.OpenConnection();
        using var command = (SqliteCommand)connection.CreateCommand();
        command.CommandText = "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ($key, 'x');";
        command.Parameters.AddWithValue("$key", "idle-" + key);
        command.ExecuteNonQuery();
    }

    /// <summary>Rows of the test table in a copy of the database file without its WAL: what a checkpoint moved.</summary>
    private long RowsInDatabaseFileAlone(string file, string keys = "k%")
    {
        var copy = Path.Combine(_peer.Directory, $"copy-{Guid.NewGuid():N}.db");
        File.Copy(file, copy);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'OrleansQuery';";
        if ((long)command.ExecuteScalar()! == 0) return 0; // not even the schema left the WAL yet
        command.CommandText = "SELECT COUNT(*) FROM OrleansQuery WHERE QueryKey LIKE $keys;";
        command.Parameters.AddWithValue("$keys", keys);
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose() => _peer.Dispose();
}
