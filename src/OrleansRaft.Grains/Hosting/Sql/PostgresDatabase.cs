using Npgsql;

namespace OrleansRaft.Hosting.Sql;

/// <summary>The PostgreSQL deployment option: applies the shipped schema once per start, serialized across
/// silos by an advisory lock (concurrent CREATE ... IF NOT EXISTS can still collide in PostgreSQL).</summary>
internal static class PostgresDatabase
{
    public const string Invariant = "Npgsql";
    private const long SchemaLockKey = 0x4F5241465453; // "ORAFTS"

    public static void EnsureSchema(string connectionString, params string[] scripts)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        Execute(connection, $"SELECT pg_advisory_lock({SchemaLockKey});");
        try
        {
            foreach (var script in scripts) Execute(connection, SqlScripts.Read(script));
        }
        finally
        {
            Execute(connection, $"SELECT pg_advisory_unlock({SchemaLockKey});");
        }
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
