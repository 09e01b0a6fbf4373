using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansRaft.Hosting.Sql;

namespace OrleansRaft.Hosting;

/// <summary>Storage and clustering for OrleansRaft on ADO.NET: SQLite files (embedded default) or PostgreSQL.
/// Each method creates the schema it needs, idempotently, when it is called.</summary>
public static class OrleansRaftStorageExtensions
{
    /// <summary>File of peer index <paramref name="peerIndex"/>'s rows: one file per peer index, so that the peers
    /// of a group (on different silo processes) never contend for one SQLite file.</summary>
    public static string SqlitePeerFile(string dataDirectory, int peerIndex) => Path.Combine(dataDirectory, $"raft-peer-{peerIndex}.db");

    /// <summary>Suffix of the ADO.NET provider behind each SQLite provider name; peers use the name without it, which
    /// runs the provider's synchronous SQLite calls off the grain scheduler (see <see cref="ThreadPoolGrainStorage"/>).</summary>
    private const string SqliteProviderSuffix = ".sqlite";

    public static string SqliteMembershipFile(string dataDirectory) => Path.Combine(dataDirectory, "membership.db");

    /// <summary>Registers providers <c>"{name}-0"</c> .. <c>"{name}-{maxPeers-1}"</c>, one SQLite file each; set
    /// <see cref="RaftGroupOptions.StorageProviderPerPeer"/> on groups that use them (done for you when the
    /// group keeps the default provider name).</summary>
    public static ISiloBuilder AddOrleansRaftSqliteStorage(this ISiloBuilder builder, string dataDirectory,
        int maxPeers = RaftGroupOptionsValidator.MaxPeers, string name = RaftGroupOptions.DefaultStorageProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var files = new List<string>(maxPeers);
        for (var i = 0; i < maxPeers; i++)
        {
            var file = SqlitePeerFile(dataDirectory, i);
            files.Add(file);
            SqliteDatabase.EnsureSchema(file, SqlScripts.SqlitePersistence);
            var connectionString = SqliteDatabase.ConnectionString(file);
            var provider = $"{name}-{i}";
            var blocking = $"{provider}{SqliteProviderSuffix}";
            AddBinaryAdoNetStorage(builder, blocking, SqliteDatabase.Invariant, options =>
                options.DataSource = new SqliteDatabase.PragmaDataSource(connectionString));
            builder.Services.AddKeyedSingleton<IGrainStorage>(provider, (services, _) =>
                new ThreadPoolGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(blocking)));
        }
        builder.Services.AddSingleton<IHostedService>(services =>
            new SqliteCheckpointer(files, services.GetRequiredService<ILogger<SqliteCheckpointer>>()));
        builder.Services.ConfigureAll<RaftGroupOptions>(group =>
        {
            if (group.StorageProvider == name) group.StorageProviderPerPeer = true;
        });
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
