using System.Diagnostics;
using OrleansRaft.Cli.Bench;

namespace OrleansRaft.Client.Tests.Bench;

public class LatencyHistogramTests
{
    [Fact]
    public void Small_values_are_exact_and_percentiles_use_the_nearest_rank()
    {
        var h = new LatencyHistogram();
        for (var v = 1; v <= 200; v++) h.Record(v);
        Assert.Equal(200, h.Count);
        Assert.Equal(100, h.ValueAtPercentile(50));
        Assert.Equal(180, h.ValueAtPercentile(90));
        Assert.Equal(198, h.ValueAtPercentile(99));
        Assert.Equal(200, h.ValueAtPercentile(99.9));   // rank ceil(199.8) = 200
        Assert.Equal(200, h.ValueAtPercentile(100));
        Assert.Equal(1, h.ValueAtPercentile(0));
        Assert.Equal(200, h.Max);
    }

    [Fact]
    public void Large_values_are_reported_at_most_one_128th_above_and_never_above_the_max()
    {
        var h = new LatencyHistogram();
        var values = Enumerable.Range(1, 10_000).Select(i => (long)i * 997).ToArray();
        foreach (var v in values) h.Record(v);
        foreach (var p in new[] { 50.0, 90, 99, 99.9 })
        {
            var exact = values[(int)Math.Ceiling(p / 100 * values.Length) - 1];
            var reported = h.ValueAtPercentile(p);
            Assert.InRange(reported, exact, exact + exact / 128);
        }
        Assert.Equal(values[^1], h.ValueAtPercentile(100));
    }

    [Fact]
    public void Every_value_falls_in_the_bucket_whose_upper_edge_covers_it()
    {
        foreach (var v in new long[] { 0, 1, 255, 256, 257, 258, 511, 512, 1_000, 123_456, 9_999_999, (1L << 40) - 1 })
        {
            var index = LatencyHistogram.IndexOf(v);
            Assert.True(LatencyHistogram.HighestEquivalent(index) >= v, $"{v}");
            if (index > 0) Assert.True(LatencyHistogram.HighestEquivalent(index - 1) < v, $"{v}");
        }
    }

    [Fact]
    public void Merging_adds_counts_and_keeps_the_extremes()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        a.Record(10);
        a.Record(20);
        b.Record(5_000);
        a.Add(b);
        Assert.Equal(3, a.Count);
        Assert.Equal(5_000, a.Max);
        Assert.Equal(20, a.ValueAtPercentile(50));
        Assert.Equal(5_000, a.ValueAtPercentile(99));
    }

    [Fact]
    public void An_empty_histogram_reports_zero()
    {
        var h = new LatencyHistogram();
        Assert.Equal(0, h.ValueAtPercentile(99));
        Assert.Equal(0, h.Max);
    }

    [Fact]
    public void Stopwatch_ticks_become_microseconds()
    {
        var h = new LatencyHistogram();
        h.RecordElapsed(1_000, 1_000 + Stopwatch.Frequency / 1000 * 3);   // 3 ms
        Assert.Equal(3_000, h.Max);
        Assert.Throws<ArgumentOutOfRangeException>(() => h.ValueAtPercentile(101));
    }
}
