using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansRaft.Hosting;

namespace OrleansRaft.Cluster.Tests;

/// <summary>One 3-silo TestCluster shared by a test collection, with in-memory grain storage.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string Group = "kv";

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddMemoryGrainStorage(RaftGroupOptions.DefaultStorageProvider);
            silo.AddRaftGroup(Group);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
