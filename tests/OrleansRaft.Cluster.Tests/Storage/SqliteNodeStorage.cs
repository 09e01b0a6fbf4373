using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansRaft.Hosting.Sql;

namespace OrleansRaft.Cluster.Tests.Storage;

/// <summary>A node's <see cref="SqliteGrainStorage"/> on a file in a temporary folder of its own, without a silo: the
/// batch writer's tests drive it directly. The folder is removed afterwards.</summary>
internal sealed class SqliteNodeStorage : IAsyncDisposable
{
    public const string ServiceId = "storage-tests";

    private static readonly Lazy<IGrainStorageSerializer> BinarySerializer = new(() =>
        new OrleansGrainStorageSerializer(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>()));

    private readonly Action<int, TimeSpan>? _committed;

    public SqliteNodeStorage(Action<int, TimeSpan>? committed = null)
    {
        _committed = committed;
        Directory = Path.Combine(Path.GetTempPath(), $"orleansraft-node-{Guid.NewGuid():N}");
        File = Path.Combine(Directory, "raft.db");
        Storage = Open(File, ServiceId, committed);
    }

    public string Directory { get; }

    public string File { get; }

    public SqliteGrainStorage Storage { get; private set; }

    public static SqliteGrainStorage Open(string file, string serviceId = ServiceId, Action<int, TimeSpan>? committed = null) =>
        SqliteGrainStorage.Open(file, serviceId, BinarySerializer.Value, NullLogger.Instance, committed);

    /// <summary>Closes the file and opens it again, as a restarted silo would.</summary>
    public async Task ReopenAsync()
    {
        await Storage.DisposeAsync();
        Storage = Open(File, ServiceId, _committed);
    }

    public async ValueTask DisposeAsync()
    {
        await Storage.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
