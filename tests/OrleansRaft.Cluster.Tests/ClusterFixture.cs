namespace OrleansRaft.Cluster.Tests;

/// <summary>One 3-silo cluster shared by the tests of a collection that do not kill silos.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public RaftTestCluster Raft { get; private set; } = null!;

    public async Task InitializeAsync() => Raft = await RaftTestCluster.StartAsync(3);

    public async Task DisposeAsync() => await Raft.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
