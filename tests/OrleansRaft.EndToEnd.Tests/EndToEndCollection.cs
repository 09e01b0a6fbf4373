namespace OrleansRaft.EndToEnd.Tests;

/// <summary>
/// Every end-to-end test, in one collection: a local cluster has fixed ports, so only one can run at a time, and
/// the tests take turns on the cluster of <see cref="ClusterFixture"/>.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "end to end";
}
