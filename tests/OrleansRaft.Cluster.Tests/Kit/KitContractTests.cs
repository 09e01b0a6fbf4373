using Orleans.TestingHost;

namespace OrleansRaft.Cluster.Tests.Kit;

/// <summary>The test kit's own contract, without a cluster: what a failed wait says, and the bad input it refuses.</summary>
public sealed class KitContractTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task AFailedWaitNamesWhatItAwaitedAndTheLastThingItSaw()
    {
        var polls = 0;
        var e = await Assert.ThrowsAsync<RaftTestTimeoutException>(() =>
            RaftTestWait.UntilAsync(() => Task.FromResult(++polls), n => n < 0, "a negative count", Short, n => $"count {n}"));

        Assert.True(polls > 1, $"polled {polls} time(s) in {Short.TotalMilliseconds} ms");
        Assert.Equal("a negative count", e.Awaited);
        Assert.Equal($"count {polls}", e.LastSeen);
        Assert.Contains("waiting for a negative count; last seen: count", e.Message);
    }

    [Fact]
    public async Task AProbeThatKeepsThrowingIsReportedWithItsLastExceptionButAnAssertionEndsTheWaitAtOnce()
    {
        var e = await Assert.ThrowsAsync<RaftTestTimeoutException>(() =>
            RaftTestWait.UntilAsync<string>(() => throw new InvalidOperationException("silo down"), "an answer", Short));
        Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.Equal("InvalidOperationException: silo down", e.LastSeen);

        var polls = 0;
        await Assert.ThrowsAsync<Xunit.Sdk.EqualException>(() => RaftTestWait.UntilAsync<string>(() =>
        {
            polls++;
            Assert.Equal(1, 2);
            return Task.FromResult<string?>(null);
        }, "an answer", TimeSpan.FromSeconds(30)));
        Assert.Equal(1, polls);
    }

    [Fact]
    public void OptionsTheKitCannotHonourAreRefusedNamingTheOption()
    {
        var peers = Assert.Throws<ArgumentOutOfRangeException>(() => new InProcessTestClusterBuilder(3).AddOrleansRaft(o => o.Peers = 4));
        Assert.Equal(nameof(RaftTestOptions.Peers), peers.ParamName);
        Assert.Contains("initial silo count (3)", peers.Message);
        var group = Assert.Throws<ArgumentException>(() => new InProcessTestClusterBuilder(3).AddOrleansRaft(o => o.Group = "a/b"));
        Assert.Equal(nameof(RaftTestOptions.Group), group.ParamName);
        var deadline = Assert.Throws<ArgumentOutOfRangeException>(() => new InProcessTestClusterBuilder(1).AddOrleansRaft(o =>
        {
            o.Peers = 1;
            o.Deadline = TimeSpan.Zero;
        }));
        Assert.Equal(nameof(RaftTestOptions.Deadline), deadline.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InProcessTestClusterBuilder(3).AddOrleansRaft(o => o.Storage = (RaftTestStorage)7));
    }

    [Fact]
    public void TheNetworkRefusesWhatIsNotAPeerOrAProbability()
    {
        var network = new RaftTestNetwork(seed: 1);
        Assert.Contains("not a peer key", Assert.Throws<ArgumentException>(() => network.Isolate("kv")).Message);
        Assert.Throws<ArgumentException>(() => network.Partition(["kv/0"], ["kv/x"]));
        Assert.Throws<ArgumentException>(() => network.CutOneWay("kv/0", ""));
        Assert.Equal("dropRate", Assert.Throws<ArgumentOutOfRangeException>(() => network.SetLossy(1.5, 0, TimeSpan.Zero)).ParamName);
        Assert.Equal("duplicateRate", Assert.Throws<ArgumentOutOfRangeException>(() => network.SetLossy(0, double.NaN, TimeSpan.Zero)).ParamName);
        Assert.Equal("maxDelay", Assert.Throws<ArgumentOutOfRangeException>(() => network.SetLossy(0, 0, TimeSpan.FromMilliseconds(-1))).ParamName);
    }
}
