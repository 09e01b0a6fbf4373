using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansRaft.Hosting.Nodes;
using OrleansRaft.Hosting.Sql;

namespace OrleansRaft.Hosting;

/// <summary>Storage and clustering for OrleansRaft: node-local SQLite files (the embedded default, storage of our own)
/// or PostgreSQL (ADO.NET), and membership on ADO.NET over either.
/// Each method creates the schema it needs, idempotently, when it is called.</summary>
public static class OrleansRaftStorageExtensions
{
    /// <summary>The one SQLite file that holds every peer of a node (<paramref name="nodeDataDirectory"/> is the node's
    /// own data directory).</summary>
    public static string SqliteNodeFile(string nodeDataDirectory) => Path.Combine(nodeDataDirectory, "raft.db");

    public static string SqliteMembershipFile(string dataDirectory) => Path.Combine(dataDirectory, "membership.db");

    /// <summary>Node-local storage: every peer this silo hosts keeps its rows in one SQLite file in
    /// <paramref name="nodeDataDirectory"/>, the node's own data directory, written with group commit
    /// (<see cref="SqliteGrainStorage"/>). The directory is locked for the silo's lifetime, so a second silo started on
    /// the same data (the same node twice) fails at startup instead of writing beside the first; the file is opened (and
    /// a file of the older ADO.NET layout migrated) right after, so a file that cannot be opened fails the start too.</summary>
    public static ISiloBuilder AddOrleansRaftSqliteStorage(this ISiloBuilder builder, string nodeDataDirectory,
        string name = RaftGroupOptions.DefaultStorageProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeDataDirectory);
        var file = SqliteNodeFile(nodeDataDirectory);
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, (services, _) => SqliteGrainStorage.Open(file,
            services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()),
            services.GetRequiredService<ILogger<SqliteGrainStorage>>(),
            services.GetService<Grains.Diagnostics.RaftMetrics>() is { } metrics ? metrics.StorageCommitted : null));
        builder.Services.AddSingleton<IHostedService>(services =>
            new SqliteCheckpointer([file], services.GetRequiredService<ILogger<SqliteCheckpointer>>()));
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(_ => new NodeDirectoryLock(nodeDataDirectory));
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => new OpenOnStart(() => services.GetRequiredKeyedService<IGrainStorage>(name)));
        return builder;
    }

    /// <summary>Opens the node file once the node's directory is locked (<see cref="NodeDirectoryLock"/> holds it from
    /// the first stage) and before any grain runs.</summary>
    private sealed class OpenOnStart(Func<IGrainStorage> open) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(OpenOnStart), ServiceLifecycleStage.RuntimeInitialize, _ =>
            {
                open();
                return Task.CompletedTask;
            });
    }

    /// <summary>Membership in one SQLite file that every silo process of the machine shares: no silo is special,
    /// so any of them can die and rejoin.</summary>
    public static ISiloBuilder UseOrleansRaftSqliteClustering(this ISiloBuilder builder, string dataDirectory)
    {
        var file = SqliteMembershipFile(dataDirectory);
        SqliteDatabase.EnsureSchema(file, SqlScripts.SqliteClustering);
        var connectionString = SqliteDatabase.ConnectionString(file);
        return builder.UseAdoNetClustering(options =>
        {
            options.Invariant = SqliteDatabase.Invariant;
            options.DataSource = new SqliteDatabase.PragmaDataSource(connectionString);
        });
    }

    /// <summary>One PostgreSQL provider for every peer (a server handles concurrent writers well).</summary>
    public static ISiloBuilder AddOrleansRaftPostgresStorage(this ISiloBuilder builder, string connectionString,
        string name = RaftGroupOptions.DefaultStorageProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        PostgresDatabase.EnsureSchema(connectionString, SqlScripts.PostgresPersistence);
        return AddBinaryAdoNetStorage(builder, name, PostgresDatabase.Invariant, options => options.ConnectionString = connectionString);
    }

    public static ISiloBuilder UseOrleansRaftPostgresClustering(this ISiloBuilder builder, string connectionString)
    {
        PostgresDatabase.EnsureSchema(connectionString, SqlScripts.PostgresClustering);
        return builder.UseAdoNetClustering(options =>
        {
            options.Invariant = PostgresDatabase.Invariant;
            options.ConnectionString = connectionString;
        });
    }

    /// <summary>ADO.NET storage with the Orleans binary serializer instead of the default JSON one.</summary>
    private static ISiloBuilder AddBinaryAdoNetStorage(ISiloBuilder builder, string name, string invariant, Action<AdoNetGrainStorageOptions> connect) =>
        builder.AddAdoNetGrainStorage(name, options => options.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = invariant;
            connect(o);
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
}
