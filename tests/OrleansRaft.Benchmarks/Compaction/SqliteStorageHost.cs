using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansRaft.Hosting;

namespace OrleansRaft.Benchmarks.Compaction;

/// <summary>The product's embedded storage (ADO.NET grain storage on a SQLite file, as <c>silo run</c> sets it up)
/// inside a one-silo in-process host, handed out as the <see cref="IGrainStorage"/> the peer grain uses.</summary>
internal sealed class SqliteStorageHost : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private SqliteStorageHost(InProcessTestCluster cluster, string directory, IGrainStorage storage)
    {
        _cluster = cluster;
        Directory = directory;
        Storage = storage;
    }

    public string Directory { get; }

    public IGrainStorage Storage { get; }

    /// <summary>The silo's services (every storage provider it registered).</summary>
    public IServiceProvider ServiceProvider => _cluster.Silos[0].ServiceProvider;

    /// <summary>The SQLite database file the storage writes to.</summary>
    public string File => OrleansRaftStorageExtensions.SqliteNodeFile(Directory);

    public static async Task<SqliteStorageHost> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"orleansraft-compaction-{Guid.NewGuid():N}");
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddOrleansRaftSqliteStorage(directory));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var storage = cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(RaftGroupOptions.DefaultStorageProvider);
        return new SqliteStorageHost(cluster, directory, storage);
    }

    /// <summary>Bytes on disk: the database file and its write-ahead log.</summary>
    public long BytesOnDisk() =>
        new[] { File, File + "-wal" }.Where(System.IO.File.Exists).Sum(f => new FileInfo(f).Length);

    /// <summary>Live rows and their payload bytes (what a VACUUM would leave, give or take page overhead).</summary>
    public (long Rows, long PayloadBytes) LiveRows()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={File}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COALESCE(SUM(LENGTH(Payload)), 0) FROM RaftRows WHERE Payload IS NOT NULL";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
