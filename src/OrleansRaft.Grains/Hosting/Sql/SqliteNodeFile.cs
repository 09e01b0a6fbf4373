using Microsoft.Data.Sqlite;

namespace OrleansRaft.Hosting.Sql;

/// <summary>
/// Opens a node's SQLite file for <see cref="SqliteGrainStorage"/>: creates its table (<c>RaftRows</c>), makes it
/// give freed pages back (auto_vacuum=INCREMENTAL), and moves the rows of the layout it replaces (Orleans' ADO.NET
/// table <c>OrleansStorage</c>, one row per state name and grain key, payloads from the same binary serializer) into
/// it in one transaction. A file it cannot account for whole is refused, never opened as if it were empty: a peer
/// that finds no storage in a group that exists must refuse to start, and one that finds half would be worse.
/// </summary>
internal static class SqliteNodeFile
{
    /// <summary>The table of the ADO.NET layout this one replaces.</summary>
    public const string LegacyTable = "OrleansStorage";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS RaftRows
        (
            GrainKey  TEXT    NOT NULL, -- the grain's key (the ADO.NET layout kept no grain type either)
            StateName TEXT    NOT NULL,
            Version   INTEGER NOT NULL, -- the ETag: 1 on insert, +1 per write or clear, 2147483647 wraps to 1
            Payload   BLOB    NULL,     -- never NULL since cleared rows move to RaftTombstones
            PRIMARY KEY (GrainKey, StateName)
        );
        -- Cleared rows: the key and version stay, so a later write of the row is checked (see SqliteRowStatements).
        CREATE TABLE IF NOT EXISTS RaftTombstones
        (
            GrainKey  TEXT    NOT NULL,
            StateName TEXT    NOT NULL,
            Version   INTEGER NOT NULL,
            PRIMARY KEY (GrainKey, StateName)
        ) WITHOUT ROWID;
        """;

    /// <summary>Opens the writer's connection: the file created if missing, its schema current, old rows moved in.</summary>
    public static SqliteConnection Open(string path, string serviceId)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(ConnectionString(path));
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {SqliteDatabase.BusyTimeoutMs};");
            // auto_vacuum takes effect on a new file only if set before its first table; an older file needs a VACUUM.
            Execute(connection, "PRAGMA auto_vacuum = INCREMENTAL;");
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Execute(connection, Schema);
            var migrated = MigrateLegacyRows(connection, serviceId, path);
            if (migrated > 0 || Scalar(connection, "PRAGMA auto_vacuum;") != 2) Execute(connection, "VACUUM;");
            Execute(connection, $"PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = {SqliteDatabase.AutoCheckpointPages}; PRAGMA journal_size_limit = {JournalSizeLimitBytes};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The WAL file is cut back to this size whenever a checkpoint lets the next write start it over: without a
    /// limit it keeps the largest size it ever reached.</summary>
    public const long JournalSizeLimitBytes = 4 * 1024 * 1024;

    /// <summary>A second connection to the file for reads, which WAL lets run beside the writer.</summary>
    public static SqliteConnection OpenReader(string path)
    {
        var connection = new SqliteConnection(ConnectionString(path));
        connection.Open();
        Execute(connection, $"PRAGMA busy_timeout = {SqliteDatabase.BusyTimeoutMs};");
        return connection;
    }

    // No pooling: each connection lives as long as the storage, and a pooled handle would keep the file open after it.
    private static string ConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), Pooling = false, DefaultTimeout = 30 }.ToString();

    /// <summary>Moves this service's rows of the ADO.NET layout into <c>RaftRows</c>, keeping payload and version, so
    /// that every ETag a peer holds stays valid. Refuses rows it cannot place: another service's (they would be invisible
    /// here) or rows both layouts hold.</summary>
    private static long MigrateLegacyRows(SqliteConnection connection, string serviceId, string path)
    {
        if (Scalar(connection, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{LegacyTable}';") == 0) return 0;
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$service", serviceId);
        command.CommandText = $"SELECT ServiceId FROM {LegacyTable} WHERE ServiceId <> $service OR GrainIdExtensionString IS NULL LIMIT 1;";
        if (command.ExecuteScalar() is string foreign)
            throw new SqliteLayoutException(path, $"its {LegacyTable} table (the ADO.NET layout) holds rows of service id '{foreign}' or without a string key, which this silo (service id '{serviceId}') cannot move into RaftRows");
        command.CommandText = $"""
            SELECT COUNT(*) FROM {LegacyTable} o
            WHERE EXISTS (SELECT 1 FROM RaftRows r WHERE r.GrainKey = o.GrainIdExtensionString AND r.StateName = o.GrainTypeString)
               OR EXISTS (SELECT 1 FROM RaftTombstones t WHERE t.GrainKey = o.GrainIdExtensionString AND t.StateName = o.GrainTypeString);
            """;
        if ((long)command.ExecuteScalar()! > 0)
            throw new SqliteLayoutException(path, $"both its {LegacyTable} table (the ADO.NET layout) and RaftRows hold rows of the same grain and state: it was written by two versions, and neither copy can be trusted over the other");
        command.CommandText = $"SELECT COUNT(*) FROM {LegacyTable};";
        var moved = (long)command.ExecuteScalar()!;
        command.CommandText = $"""
            INSERT INTO RaftRows (GrainKey, StateName, Version, Payload)
                SELECT GrainIdExtensionString, GrainTypeString, Version, PayloadBinary FROM {LegacyTable} WHERE PayloadBinary IS NOT NULL;
            INSERT INTO RaftTombstones (GrainKey, StateName, Version)
                SELECT GrainIdExtensionString, GrainTypeString, Version FROM {LegacyTable} WHERE PayloadBinary IS NULL;
            DELETE FROM {LegacyTable};
            """;
        command.ExecuteNonQuery();
        transaction.Commit();
        return moved;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}

/// <summary>A node's SQLite file holds rows this version cannot account for; the silo does not start on it.</summary>
public sealed class SqliteLayoutException(string path, string reason)
    : Exception($"The node storage file {path} cannot be opened: {reason}. Move the file away and replace the node's peers by membership change, or open it with the version that wrote it.");
