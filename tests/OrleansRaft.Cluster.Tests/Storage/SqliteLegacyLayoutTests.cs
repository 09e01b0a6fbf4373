using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansRaft.Grains.Storage;
using OrleansRaft.Hosting;
using OrleansRaft.Hosting.Sql;

namespace OrleansRaft.Cluster.Tests.Storage;

/// <summary>
/// A node file written by the ADO.NET provider (the layout before group commit) is migrated when the node storage opens
/// it: every row, with its payload and its version, so the peer finds its identity, term, vote and log as they were.
/// What cannot be migrated is refused with the cause named: a peer's storage never looks empty because of the layout.
/// </summary>
public sealed class SqliteLegacyLayoutTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"orleansraft-legacy-{Guid.NewGuid():N}");

    private string File => OrleansRaftStorageExtensions.SqliteNodeFile(_data);

    [Fact]
    public async Task A_group_written_through_the_ADO_NET_provider_is_found_whole_after_the_migration()
    {
        string serviceId;
        var peer = GrainId.Create("raftpeer", $"{RaftTestOptions.DefaultGroup}/0");
        await using (var raft = await RaftTestCluster.StartAsync(1, o => { o.Peers = 1; o.ConfigureStorage = (silo, _) => AddLegacyStorage(silo, File); }))
        {
            var acknowledged = new Dictionary<string, string>();
            for (var i = 0; i < 5; i++) await KvAssertions.SetAsync(raft, acknowledged, $"legacy-{i}", $"v{i}");
            serviceId = raft.Cluster.Silos[0].ServiceProvider.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
        }
        var legacyPeerRow = LegacyVersion(peer, GrainStoragePeerRow.StateName);
        SqliteConnection.ClearAllPools();

        await using var storage = SqliteNodeStorage.Open(File, serviceId);
        var row = new GrainStoragePeerRow(storage, peer);
        var identity = await row.OpenAsync();
        Assert.NotNull(identity);
        Assert.Equal(RaftTestOptions.DefaultGroup, identity.Group);
        var state = new GrainState<PeerRecord>(new PeerRecord());
        await storage.ReadStateAsync(GrainStoragePeerRow.StateName, peer, state);
        Assert.Equal(legacyPeerRow, state.ETag); // versions move along: an ETag held before is still the row's
        var log = await new GrainStorageLogStore(storage, peer, new RaftGroupOptions().LogSegmentEntries) { Generation = row.Sequence }.LoadAsync(row.LogEnd);
        Assert.Equal(row.LogEnd, log[^1].Index);
        var written = string.Join("|", log.Select(entry => System.Text.Encoding.UTF8.GetString(entry.Data)));
        for (var i = 0; i < 5; i++) Assert.Contains($"legacy-{i}", written);
        Assert.Equal(0L, Scalar($"SELECT COUNT(*) FROM {SqliteNodeFile.LegacyTable};"));
        Assert.Equal(2L, Scalar("PRAGMA auto_vacuum;")); // INCREMENTAL: the migration's VACUUM converted the file
    }

    [Fact]
    public void Rows_of_another_service_in_the_old_layout_are_refused_not_ignored()
    {
        SqliteDatabase.EnsureSchema(File, SqlScripts.SqlitePersistence);
        using (var connection = new SqliteConnection($"Data Source={File};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
                VALUES (1, 0, 0, 2, 'raft.peer', 'kv/0', 'another-service', x'00', '2026-01-01 00:00:00.000', 3);
                """;
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<SqliteLayoutException>(() => SqliteNodeStorage.Open(File, "this-service"));
        Assert.Contains("another-service", error.Message);
        Assert.Contains(File, error.Message);
        Assert.Equal(1L, Scalar($"SELECT COUNT(*) FROM {SqliteNodeFile.LegacyTable};")); // nothing was moved or lost
    }

    /// <summary>The storage registration of the version before group commit: Orleans' ADO.NET provider on the file, with
    /// the shipped schema and the binary serializer.</summary>
    private static void AddLegacyStorage(ISiloBuilder silo, string file)
    {
        SqliteDatabase.EnsureSchema(file, SqlScripts.SqlitePersistence);
        silo.AddAdoNetGrainStorage(RaftGroupOptions.DefaultStorageProvider, options => options.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = SqliteDatabase.Invariant;
            o.DataSource = new SqliteDatabase.PragmaDataSource(SqliteDatabase.ConnectionString(file));
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
    }

    private string LegacyVersion(GrainId grain, string stateName)
    {
        using var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Version FROM OrleansStorage WHERE GrainTypeString = $state AND GrainIdExtensionString = $key;";
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$key", grain.Key.ToString());
        return ((long)command.ExecuteScalar()!).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }
}
