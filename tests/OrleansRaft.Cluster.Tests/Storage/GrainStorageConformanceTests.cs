using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansRaft.Core.Tests.Unit.Storage;
using OrleansRaft.Grains.Storage;
using OrleansRaft.Hosting;

namespace OrleansRaft.Cluster.Tests.Storage;

/// <summary>The storage conformance suite against the grain-storage adapters: each test gets its own peer id.</summary>
public abstract class GrainStorageConformanceTests : StorageConformanceTests
{
    private const int SegmentEntries = 4;
    private const int SnapshotChunkBytes = 1000;

    protected abstract IGrainStorage Storage { get; }

    protected override Task<Stores> CreateAsync() => Task.FromResult(Open(GrainId.Create("raftpeer", $"conformance/{Guid.NewGuid():N}")));

    protected override Task<Stores> ReopenAsync(Stores stores) =>
        Task.FromResult(Open(((GrainStoragePeerRow)stores.HardState).GrainId));

    private Stores Open(GrainId peer) =>
        new(new GrainStorageLogStore(Storage, peer, SegmentEntries), new GrainStoragePeerRow(Storage, peer),
            new GrainStorageSnapshotStore(Storage, peer, SnapshotChunkBytes));
}

public sealed class DurableTestGrainStorageConformanceTests : GrainStorageConformanceTests
{
    protected override IGrainStorage Storage { get; } = new DurableTestStorage();
}

/// <summary>The embedded default: ADO.NET grain storage on a SQLite file, with the shipped schema and the binary serializer.</summary>
[Collection(SqliteStorageCollection.Name)]
public sealed class SqliteGrainStorageConformanceTests(SqliteStorageFixture fixture) : GrainStorageConformanceTests
{
    protected override IGrainStorage Storage => fixture.Storage;
}

public sealed class SqliteStorageFixture : IAsyncLifetime
{
    private RaftTestCluster? _raft;

    public IGrainStorage Storage { get; private set; } = null!;

    /// <summary>The SQLite file behind <see cref="Storage"/>.</summary>
    public string File => OrleansRaftStorageExtensions.SqliteNodeFile(_raft!.NodeDataDirectory(RaftTestCluster.NodeName(0)));

    public async Task InitializeAsync()
    {
        _raft = await RaftTestCluster.StartAsync(1, options =>
        {
            options.Peers = 1;
            options.Storage = RaftTestStorage.Sqlite;
        });
        Storage = _raft.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(RaftGroupOptions.DefaultStorageProvider);
    }

    public async Task DisposeAsync()
    {
        if (_raft is not null) await _raft.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SqliteStorageCollection : ICollectionFixture<SqliteStorageFixture>
{
    public const string Name = "sqlite storage";
}
