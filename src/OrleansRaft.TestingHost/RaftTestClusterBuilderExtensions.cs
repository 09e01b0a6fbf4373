using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansRaft.Grains.Peers;
using OrleansRaft.Hosting;

namespace OrleansRaft.TestingHost;

/// <summary>Adds OrleansRaft to the silos of an Orleans <see cref="InProcessTestClusterBuilder"/>.</summary>
public static class RaftTestClusterBuilderExtensions
{
    /// <summary>
    /// Configures every silo the builder will start (the initial ones and any started later) to run one Raft group:
    /// the silo's node is its TestingHost name (<see cref="RaftTestCluster.NodeName"/>), so a silo restarted with the
    /// same instance number is the same node with the same storage; peer i lives on silo i; the group bootstraps on
    /// first start; peers talk through <see cref="RaftTestCluster.Network"/>; every silo is a gateway, so the client
    /// survives any one silo's death. Configure the application's own grains, storage and options on the same builder
    /// as usual (<see cref="InProcessTestClusterBuilder.ConfigureSilo"/>), before or after this call.
    /// </summary>
    /// <returns>The setup to deploy the cluster with (<see cref="RaftTestSetup.DeployAsync"/>).</returns>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public static RaftTestSetup AddOrleansRaft(this InProcessTestClusterBuilder builder, Action<RaftTestOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new RaftTestOptions();
        configure?.Invoke(options);
        options.Validate(builder.Options.InitialSilosCount);
        var setup = new RaftTestSetup(builder, options);
        builder.Options.GatewayPerSilo = true;
        var nodes = Enumerable.Range(0, options.Peers).Select(RaftTestCluster.NodeName).ToArray();
        builder.ConfigureSilo((silo, siloBuilder) =>
        {
            var node = silo.SiloName;
            siloBuilder.UseOrleansRaftNode(node);
            RegisterStorage(siloBuilder, node, setup);
            siloBuilder.Services.AddSingleton<IRaftPeerTransport>(services =>
                new FaultInjectingTransport(setup.Network, RaftPeerTransports.CreateDefault(services)));
            if (options.QuickFailureDetection) siloBuilder.Configure<ClusterMembershipOptions>(membership =>
            {
                membership.ProbeTimeout = TimeSpan.FromSeconds(1);
                membership.NumMissedProbesLimit = 2;
                membership.NumVotesForDeathDeclaration = 1;
            });
            siloBuilder.AddRaftGroup(options.Group, group => group.Configure(settings =>
            {
                settings.OnNodes(nodes);
                settings.Bootstrap = true;
                options.ConfigureGroup?.Invoke(settings);
            }));
        });
        return setup;
    }

    private static void RegisterStorage(ISiloBuilder silo, string node, RaftTestSetup setup)
    {
        var options = setup.Options;
        if (options.ConfigureStorage is { } configure)
            configure(silo, node);
        else if (options.Storage == RaftTestStorage.Sqlite)
            silo.AddOrleansRaftSqliteStorage(setup.NodeDataDirectory(node), StorageProviderName(options));
        else
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageProviderName(options), setup.MemoryStorage!);
    }

    /// <summary>The provider the group reads: the default unless the test's group settings name another.</summary>
    private static string StorageProviderName(RaftTestOptions options)
    {
        var probe = new RaftGroupOptions();
        options.ConfigureGroup?.Invoke(probe);
        return probe.StorageProvider;
    }
}
