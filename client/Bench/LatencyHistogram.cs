using System.Diagnostics;
using System.Numerics;

namespace OrleansRaft.Cli.Bench;

/// <summary>
/// An HdrHistogram-like log-linear histogram of latencies in microseconds, allocated once: recording is an index
/// computation and an increment, so a benchmark measures the system, not its own garbage. Values below
/// <see cref="SubBuckets"/> µs are exact; above, each power of two is split into <see cref="HalfSubBuckets"/>
/// buckets, so a reported percentile is at most 1/128 (0.8 %) above the true value, and never above the maximum.
/// Not thread-safe: one per worker and kind, merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    public const int SubBucketBits = 8;
    public const int SubBuckets = 1 << SubBucketBits;          // 256: exact below this
    public const int HalfSubBuckets = SubBuckets / 2;          // 128 buckets per power of two above
    public const int MaxMagnitude = 40;                        // 2^40 µs, about 12.7 days: clamped above

    private readonly long[] _counts = new long[SubBuckets + (MaxMagnitude - SubBucketBits + 1) * HalfSubBuckets];

    public long Count { get; private set; }

    /// <summary>Largest recorded value, exact (not bucketed); 0 when empty.</summary>
    public long Max { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    /// <summary>Records the time between two <see cref="Stopwatch.GetTimestamp"/> readings.</summary>
    public void RecordElapsed(long startTimestamp, long endTimestamp) => Record(ToMicroseconds(endTimestamp - startTimestamp));

    public void Record(long microseconds)
    {
        var value = Math.Clamp(microseconds, 0, (1L << MaxMagnitude) - 1);
        _counts[IndexOf(value)]++;
        Count++;
        if (value > Max) Max = value;
        if (value < Min) Min = value;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        Max = Math.Max(Max, other.Max);
        Min = Math.Min(Min, other.Min);
    }

    /// <summary>
    /// The smallest value that at least <paramref name="percentile"/> % of the recorded values do not exceed (the
    /// nearest-rank definition HdrHistogram uses), as the upper edge of its bucket, clamped to [min, max].
    /// 0 when nothing was recorded.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        if (percentile is < 0 or > 100 || double.IsNaN(percentile)) throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "expected 0 to 100");
        if (Count == 0) return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Clamp(HighestEquivalent(i), Min, Max);
        }
        return Max;
    }

    internal static long ToMicroseconds(long stopwatchTicks) => stopwatchTicks * 1_000_000 / Stopwatch.Frequency;

    internal static int IndexOf(long value)
    {
        if (value < SubBuckets) return (int)value;
        var magnitude = 63 - BitOperations.LeadingZeroCount((ulong)value);   // >= SubBucketBits
        var shift = magnitude - SubBucketBits + 1;
        var sub = (int)(value >> shift);                                     // in [HalfSubBuckets, SubBuckets)
        return SubBuckets + (magnitude - SubBucketBits) * HalfSubBuckets + (sub - HalfSubBuckets);
    }

    /// <summary>The largest value that lands in bucket <paramref name="index"/>.</summary>
    internal static long HighestEquivalent(int index)
    {
        if (index < SubBuckets) return index;
        var magnitude = (index - SubBuckets) / HalfSubBuckets + SubBucketBits;
        var sub = (index - SubBuckets) % HalfSubBuckets + HalfSubBuckets;
        var shift = magnitude - SubBucketBits + 1;
        return ((long)(sub + 1) << shift) - 1;
    }
}
