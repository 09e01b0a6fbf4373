using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansRaft.Hosting.Nodes;
using OrleansRaft.Hosting.Sql;

namespace OrleansRaft.Hosting;

/// <summary>Storage and clustering for OrleansRaft on ADO.NET: SQLite files (embedded default) or PostgreSQL.
/// Each method creates the schema it needs, idempotently, when it is called.</summary>
public static class OrleansRaftStorageExtensions
{
    /// <summary>The one SQLite file that holds every peer of a node (<paramref name="nodeDataDirectory"/> is the node's
    /// own data directory).</summary>
    public static string SqliteNodeFile(string nodeDataDirectory) => Path.Combine(nodeDataDirectory, "raft.db");

    /// <summary>Suffix of the ADO.NET provider behind the SQLite provider name; peers use the name without it, which
    /// runs the provider's synchronous SQLite calls off the grain scheduler (see <see cref="ThreadPoolGrainStorage"/>).</summary>
    private const string SqliteProviderSuffix = ".sqlite";

    public static string SqliteMembershipFile(string dataDirectory) => Path.Combine(dataDirectory, "membership.db");

    /// <summary>Node-local storage: every peer this silo hosts keeps its rows in one SQLite file in
    /// <paramref name="nodeDataDirectory"/>, the node's own data directory. The directory is locked for the silo's
    /// lifetime, so a second silo started on the same data (the same node twice) fails at startup instead of
    /// writing beside the first.</summary>
    public static ISiloBuilder AddOrleansRaftSqliteStorage(this ISiloBuilder builder, string nodeDataDirectory,
        string name = RaftGroupOptions.DefaultStorageProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeDataDirectory);
        var file = SqliteNodeFile(nodeDataDirectory);
        SqliteDatabase.EnsureSchema(file, SqlScripts.SqlitePersistence);
        var connectionString = SqliteDatabase.ConnectionString(file);
        var blocking = $"{name}{SqliteProviderSuffix}";
        AddBinaryAdoNetStorage(builder, blocking, SqliteDatabase.Invariant, options =>
            options.DataSource = new SqliteDatabase.PragmaDataSource(connectionString));
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, (services, _) =>
            new ThreadPoolGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(blocking)));
        builder.Services.AddSingleton<IHostedService>(services =>
            new SqliteCheckpointer([file], services.GetRequiredService<ILogger<SqliteCheckpointer>>()));
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(_ => new NodeDirectoryLock(nodeDataDirectory));
        return builder;
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
