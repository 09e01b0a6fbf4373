using OrleansRaft.Hosting;
using OrleansRaft.Kv;

namespace OrleansRaft.Cluster.Tests;

/// <summary>The product's storage paths under a real group: SQLite files (the embedded default) and PostgreSQL.</summary>
public sealed class AdoNetStorageTests
{
    [Fact]
    public async Task SqliteGroupSurvivesLeaderSiloKillAndFullRestart()
    {
        string data;
        await using (var raft = await RaftTestCluster.StartAsync(3, options => options.Storage = RaftTestStorage.Sqlite))
        {
            await RunKillAndRestartScenarioAsync(raft);
            for (var i = 0; i < 3; i++)
                Assert.True(File.Exists(OrleansRaftStorageExtensions.SqliteNodeFile(raft.NodeDataDirectory(RaftTestCluster.NodeName(i)))));
            data = Path.GetDirectoryName(raft.NodeDataDirectory(RaftTestCluster.NodeName(0)))!;
        }
        // The kit's temporary directory goes with the cluster.
        Assert.False(Directory.Exists(data), $"{data} is still there after the cluster was disposed");
    }

    [PostgresFact]
    public async Task PostgresGroupSurvivesLeaderSiloKillAndFullRestart()
    {
        await using var raft = await RaftTestCluster.StartAsync(3, options =>
            options.ConfigureStorage = (silo, _) => silo.AddOrleansRaftPostgresStorage(PostgresFactAttribute.ConnectionString!));
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

        foreach (var silo in raft.RunningSilos)
            await raft.RestartAsync(silo);
        await raft.RestartAsync(killed);
        await raft.WaitForLeaderAsync();
        await KvAssertions.AssertAllReadableAsync(raft, acknowledged);
    }
}
