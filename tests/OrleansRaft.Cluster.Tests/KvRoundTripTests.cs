using OrleansRaft.Kv;

namespace OrleansRaft.Cluster.Tests;

[Collection(ClusterCollection.Name)]
public sealed class KvRoundTripTests(ClusterFixture fixture)
{
    private IKvGrain Kv => fixture.Grains.GetGrain<IKvGrain>(ClusterFixture.Group);

    [Fact]
    public async Task SetThenGetReturnsTheValue()
    {
        Assert.Equal(KvStatus.Ok, (await Kv.Set("round-trip", "v1")).Status);
        var read = await Kv.Get("round-trip");
        Assert.Equal(KvStatus.Ok, read.Status);
        Assert.Equal("v1", read.Value);
    }
}
