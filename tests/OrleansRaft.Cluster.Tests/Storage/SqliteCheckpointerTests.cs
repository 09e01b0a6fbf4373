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
    public void A_missing_file_is_skipped_not_created()
    {
        var file = Path.Combine(_peer.Directory, "absent.db");
        new SqliteCheckpointer([file], NullLogger<SqliteCheckpointer>.Instance).Checkpoint(file);
        Assert.False(File.Exists(file));
    }

    /// <summary>Rows of the test table in a copy of the database file without its WAL: what a checkpoint moved.</summary>
    private long RowsInDatabaseFileAlone(string file)
    {
        var copy = Path.Combine(_peer.Directory, $"copy-{Guid.NewGuid():N}.db");
        File.Copy(file, copy);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'OrleansQuery';";
        if ((long)command.ExecuteScalar()! == 0) return 0; // not even the schema left the WAL yet
        command.CommandText = "SELECT COUNT(*) FROM OrleansQuery WHERE QueryKey LIKE 'k%';";
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose() => _peer.Dispose();
}
