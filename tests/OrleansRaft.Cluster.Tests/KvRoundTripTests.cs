using OrleansRaft.Kv;

namespace OrleansRaft.Cluster.Tests;

[Collection(ClusterCollection.Name)]
public sealed class KvRoundTripTests(ClusterFixture fixture)
{
    private IKvGrain Kv => fixture.Raft.Kv;

    [Fact]
    public async Task SetThenGetReturnsTheValue()
    {
        Assert.Equal(KvStatus.Ok, (await Kv.Set("round-trip", "v1")).Status);
        var read = await Kv.Get("round-trip");
        Assert.Equal(KvStatus.Ok, read.Status);
        Assert.Equal("v1", read.Value);
    }

    [Fact]
    public async Task GetOfAMissingKeyIsNotFound()
    {
        var read = await Kv.Get("never-written");
        Assert.Equal(KvStatus.NotFound, read.Status);
        Assert.Null(read.Value);
    }

    [Fact]
    public async Task DeleteRemovesTheKeyAndReportsMissingKeys()
    {
        await Kv.Set("to-delete", "x");
        Assert.Equal(KvStatus.Ok, (await Kv.Delete("to-delete")).Status);
        Assert.Equal(KvStatus.NotFound, (await Kv.Get("to-delete")).Status);
        Assert.Equal(KvStatus.NotFound, (await Kv.Delete("to-delete")).Status);
    }

    [Fact]
    public async Task CompareAndSetSwapsOnlyOnTheExpectedValue()
    {
        Assert.Equal(KvStatus.Swapped, (await Kv.CompareAndSet("cas", null, "a")).Status);
        var refused = await Kv.CompareAndSet("cas", null, "b");
        Assert.Equal(KvStatus.NotSwapped, refused.Status);
        Assert.Equal("a", refused.Value);
        Assert.Equal(KvStatus.Swapped, (await Kv.CompareAndSet("cas", "a", "c")).Status);
        var wrong = await Kv.CompareAndSet("cas", "a", "d");
        Assert.Equal(KvStatus.NotSwapped, wrong.Status);
        Assert.Equal("c", wrong.Value);
        Assert.Equal("c", (await Kv.Get("cas")).Value);
    }

    [Fact]
    public async Task AppendConcatenates()
    {
        await Kv.Append("log", "a");
        await Kv.Append("log", "b");
        Assert.Equal("ab", (await Kv.Get("log")).Value);
    }

    [Fact]
    public async Task RetriedWriteWithTheSameRequestIdAppliesOnce()
    {
        var id = new RequestId("client-retry", 1);
        await Kv.Append("once", "x", id);
        await Kv.Append("once", "x", id);
        Assert.Equal("x", (await Kv.Get("once")).Value);
    }

    [Fact]
    public async Task StaleReadSeesCommittedData()
    {
        await Kv.Set("stale", "v");
        var read = await RaftTestCluster.WaitUntilAsync(async () =>
        {
            var r = await Kv.Get("stale", ReadConsistency.Stale);
            return r.Value == "v" ? r : null;
        }, "a stale read to catch up");
        Assert.Equal(KvStatus.Ok, read.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task EmptyKeyIsInvalid(string? key)
    {
        var response = await Kv.Set(key!, "v");
        Assert.Equal(KvStatus.InvalidArgument, response.Status);
        Assert.Contains("key", response.Error);
    }

    [Fact]
    public async Task KeyOverOneKibibyteIsInvalid()
    {
        var response = await Kv.Get(new string('k', KvLimits.MaxKeyBytes + 1));
        Assert.Equal(KvStatus.InvalidArgument, response.Status);
        Assert.Contains(nameof(KvLimits.MaxKeyBytes), response.Error);
    }

    [Fact]
    public async Task OversizedValueIsInvalidAndNothingIsWritten()
    {
        var response = await Kv.Set("big", new string('v', KvLimits.DefaultMaxValueBytes + 1));
        Assert.Equal(KvStatus.InvalidArgument, response.Status);
        Assert.Contains("MaxValueBytes", response.Error);
        Assert.Equal(KvStatus.NotFound, (await Kv.Get("big")).Status);
    }

    [Fact]
    public async Task UnknownGroupIsReportedByName()
    {
        var response = await fixture.Raft.Client.GetGrain<IKvGrain>("no-such-group").Set("k", "v");
        Assert.Equal(KvStatus.UnknownGroup, response.Status);
        Assert.Contains("no-such-group", response.Error);
    }

    [Fact]
    public async Task GroupElectsOneLeaderAndPeersLandOnDistinctSilos()
    {
        await Kv.Set("wake", "up");
        await fixture.Raft.WaitForLeaderAsync();
        var status = await Kv.Status();
        Assert.All(status.Peers, Assert.NotNull);
        Assert.Equal(3, status.Peers.Select(p => p!.Silo).Distinct().Count());
    }
}
