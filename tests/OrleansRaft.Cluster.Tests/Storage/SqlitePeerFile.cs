using Microsoft.Data.Sqlite;
using OrleansRaft.Hosting.Sql;

namespace OrleansRaft.Cluster.Tests.Storage;

/// <summary>A peer's SQLite file with the shipped schema in a temporary folder of its own, removed afterwards.</summary>
internal sealed class SqlitePeerFile : IDisposable
{
    public SqlitePeerFile()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"orleansraft-sqlite-{Guid.NewGuid():N}");
        File = Path.Combine(Directory, "peer.db");
        SqliteDatabase.EnsureSchema(File, SqlScripts.SqlitePersistence);
    }

    public string Directory { get; }

    public string File { get; }

    /// <summary>Connections configured as the peers' storage provider gets them.</summary>
    public SqliteDatabase.PragmaDataSource OpenDataSource() => new(SqliteDatabase.ConnectionString(File));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
