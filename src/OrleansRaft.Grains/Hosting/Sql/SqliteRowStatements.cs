using Microsoft.Data.Sqlite;

namespace OrleansRaft.Hosting.Sql;

/// <summary>
/// The statements on <c>RaftRows</c>, each compiled once for its connection (Microsoft.Data.Sqlite keeps a prepared
/// command's statement for as long as its text and connection stay): each returns the row's new version, or nothing
/// when the row's version is not the one the caller holds. Not thread-safe: one owner per connection.
/// </summary>
internal sealed class SqliteRowStatements : IDisposable
{
    private const string NextVersion = "CASE WHEN Version >= 2147483647 THEN 1 ELSE Version + 1 END";
    private const string Key = "GrainKey = $key AND StateName = $state";

    private readonly SqliteCommand _read;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _clear;

    public SqliteRowStatements(SqliteConnection connection)
    {
        _read = Prepare(connection, $"SELECT Version, Payload FROM RaftRows WHERE {Key};", payload: false, version: false);
        _update = Prepare(connection, $"UPDATE RaftRows SET Payload = $payload, Version = {NextVersion} WHERE {Key} AND Version = $version RETURNING Version;", payload: true, version: true);
        // The primary key turns an existing row into no row: a write without an ETag only ever creates.
        _insert = Prepare(connection, "INSERT INTO RaftRows (GrainKey, StateName, Version, Payload) VALUES ($key, $state, 1, $payload) ON CONFLICT DO NOTHING RETURNING Version;", payload: true, version: false);
        _clear = Prepare(connection, $"UPDATE RaftRows SET Payload = NULL, Version = {NextVersion} WHERE {Key} AND Version = $version RETURNING Version;", payload: false, version: true);
    }

    /// <summary>The row's version and payload (null once cleared), or null when there is no row.</summary>
    public (int Version, byte[]? Payload)? Read(string key, string state)
    {
        Bind(_read, key, state);
        using var reader = _read.ExecuteReader();
        if (!reader.Read()) return null;
        return ((int)reader.GetInt64(0), reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1));
    }

    /// <summary>Writes <paramref name="payload"/> if the row's version is <paramref name="expected"/> (an insert when it
    /// is null); returns the new version, or null on a conflict.</summary>
    public int? Write(string key, string state, int? expected, byte[] payload)
    {
        var command = expected is null ? _insert : _update;
        Bind(command, key, state);
        command.Parameters["$payload"].Value = payload;
        if (expected is { } version) command.Parameters["$version"].Value = version;
        return Returned(command);
    }

    /// <summary>Clears the payload of the row at version <paramref name="expected"/>; returns the new version, or null on
    /// a conflict.</summary>
    public int? Clear(string key, string state, int expected)
    {
        Bind(_clear, key, state);
        _clear.Parameters["$version"].Value = expected;
        return Returned(_clear);
    }

    private static int? Returned(SqliteCommand command) => command.ExecuteScalar() is long version ? (int)version : null;

    private static void Bind(SqliteCommand command, string key, string state)
    {
        command.Parameters["$key"].Value = key;
        command.Parameters["$state"].Value = state;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, bool payload, bool version)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add("$key", SqliteType.Text);
        command.Parameters.Add("$state", SqliteType.Text);
        if (payload) command.Parameters.Add("$payload", SqliteType.Blob);
        if (version) command.Parameters.Add("$version", SqliteType.Integer);
        command.Prepare();
        return command;
    }

    public void Dispose()
    {
        _read.Dispose();
        _update.Dispose();
        _insert.Dispose();
        _clear.Dispose();
    }
}
