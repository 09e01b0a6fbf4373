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
        await using var raft = await RaftTestCluster.StartAsync(3, storage: (silo, node) => silo.AddOrleansRaftSqliteStorage(Path.Combine(_data, node)));
        await RunKillAndRestartScenarioAsync(raft);
        for (var i = 0; i < 3; i++)
            Assert.True(File.Exists(OrleansRaftStorageExtensions.SqliteNodeFile(Path.Combine(_data, RaftTestCluster.NodeName(i)))));
    }

    [PostgresFact]
    public async Task PostgresGroupSurvivesLeaderSiloKillAndFullRestart()
    {
        await using var raft = await RaftTestCluster.StartAsync(3, storage: (silo, _) => silo.AddOrleansRaftPostgresStorage(PostgresFactAttribute.ConnectionString!));
        await RunKillAndRestartScenarioAsync(raft);
    }

    private static async Task RunKillAndRestartScenarioAsync(RaftTestCluster raft)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var acknowledged = new Dictionary<string, string>();
        for (var i = 0; i < 5; i++) await KvAssertions.SetAsync(raft, acknowledged, $"{run}-a{i}", $"v{i}");

        var leader = await raft.WaitForLeaderAsync();
        var killed = raft.SiloOf(leader);
        await raft.KillAsync(killed);
        for (var i = 0; i < 5; i++) await KvAssertions.SetAsync(raft, acknowledged, $"{run}-b{i}", $"w{i}");

        foreach (var silo in raft.Cluster.Silos.Where(s => s.IsActive).ToArray())
            await raft.Cluster.RestartSiloAsync(silo);
        await raft.ReviveAsync(killed);
        await raft.WaitForLeaderAsync();
        await KvAssertions.AssertAllReadableAsync(raft, acknowledged);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }
}
