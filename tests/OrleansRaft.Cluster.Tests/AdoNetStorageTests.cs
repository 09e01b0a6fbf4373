using OrleansRaft.Hosting;
using OrleansRaft.Kv;

namespace OrleansRaft.Cluster.Tests;

/// <summary>The product's storage paths under a real group: SQLite files (the embedded default) and PostgreSQL.</summary>
public sealed class AdoNetStorageTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"orleansraft-test-{Guid.NewGuid():N}");

    [Fact]
    public async Task SqliteGroupSurvivesLeaderSiloKillAndFullRestart()
    {
        await using var raft = await RaftTestCluster.StartAsync(3, storage: silo => silo.AddOrleansRaftSqliteStorage(_data, maxPeers: 3));
        await RunKillAndRestartScenarioAsync(raft);
        Assert.True(File.Exists(OrleansRaftStorageExtensions.SqlitePeerFile(_data, 0)));
    }

    [PostgresFact]
    public async Task PostgresGroupSurvivesLeaderSiloKillAndFullRestart()
    {
        await using var raft = await RaftTestCluster.StartAsync(3, storage: silo => silo.AddOrleansRaftPostgresStorage(PostgresFactAttribute.ConnectionString!));
        await RunKillAndRestartScenarioAsync(raft);
    }

    private static async Task RunKillAndRestartScenarioAsync(RaftTestCluster raft)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var acknowledged = new Dictionary<string, string>();
        for (var i = 0; i < 5; i++) await KvAssertions.SetAsync(raft, acknowledged, $"{run}-a{i}", $"v{i}");

        var leader = await raft.WaitForLeaderAsync();
        await raft.Cluster.KillSiloAsync(raft.SiloOf(leader));
        for (var i = 0; i < 5; i++) await KvAssertions.SetAsync(raft, acknowledged, $"{run}-b{i}", $"w{i}");

        foreach (var silo in raft.Cluster.Silos.Where(s => s.IsActive).ToArray())
            await raft.Cluster.RestartSiloAsync(silo);
        await raft.Cluster.StartAdditionalSiloAsync();
        await raft.WaitForLeaderAsync();
        await KvAssertions.AssertAllReadableAsync(raft, acknowledged);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }
}
