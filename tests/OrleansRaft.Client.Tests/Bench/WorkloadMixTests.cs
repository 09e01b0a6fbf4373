using OrleansRaft.Cli.Arguments;
using OrleansRaft.Cli.Bench;

namespace OrleansRaft.Client.Tests.Bench;

public class WorkloadMixTests
{
    [Fact]
    public void Parses_weights_in_any_order_and_case_leaving_out_kinds_as_zero()
    {
        Assert.Equal(new WorkloadMix(50, 50, 0), WorkloadMix.Parse("set=50,get=50,cas=0"));
        Assert.Equal(new WorkloadMix(0, 3, 1), WorkloadMix.Parse("CAS=1, get = 3"));
        Assert.Equal(new WorkloadMix(100, 0, 0), WorkloadMix.Parse("set=100"));
    }

    [Theory]
    [InlineData("set")]
    [InlineData("put=5")]
    [InlineData("set=-1")]
    [InlineData("set=1.5")]
    [InlineData("set=1,set=2")]
    [InlineData("set=0,get=0")]
    [InlineData("")]
    public void Rejects_bad_mixes(string text)
    {
        var e = Assert.Throws<UsageException>(() => WorkloadMix.Parse(text));
        Assert.Contains("--mix", e.Message);
    }

    [Fact]
    public void Pick_splits_the_draw_range_by_weight()
    {
        var mix = new WorkloadMix(2, 3, 1);
        var picks = Enumerable.Range(0, mix.Total).Select(mix.Pick).ToArray();
        Assert.Equal([OpKind.Set, OpKind.Set, OpKind.Get, OpKind.Get, OpKind.Get, OpKind.Cas], picks);
    }

    [Fact]
    public void Prints_all_three_weights()
    {
        Assert.Equal("set=0,get=100,cas=0", WorkloadMix.Parse("get=100").ToString());
        Assert.False(WorkloadMix.Parse("get=100").HasWrites);
        Assert.True(WorkloadMix.Parse("get=1,cas=1").HasWrites);
    }
}
