using System.Diagnostics;

namespace OrleansRaft.Cli.Bench;

/// <summary>
/// The phases of a run on <see cref="Stopwatch"/> timestamps: warmup from <see cref="RunStart"/>, measurement from
/// <see cref="MeasureStart"/> until <see cref="MeasureEnd"/> (timed runs) or until the operation budget is spent.
/// An operation counts when it started at or after <see cref="MeasureStart"/> and, in a timed run, completed by
/// <see cref="MeasureEnd"/>; operations still in flight at the end finish but are not counted.
/// </summary>
internal sealed class BenchClock
{
    private long _remainingOps;
    private long _measureEnd;
    private long _lastMeasuredEnd;
    private volatile bool _stopping;

    public BenchClock(TimeSpan warmup, TimeSpan? duration, long? ops, long? now = null)
    {
        RunStart = now ?? Stopwatch.GetTimestamp();
        MeasureStart = RunStart + Ticks(warmup);
        _measureEnd = duration is { } d ? MeasureStart + Ticks(d) : long.MaxValue;
        _remainingOps = ops ?? long.MaxValue;
        IsTimed = duration is not null;
    }

    public long RunStart { get; }

    public long MeasureStart { get; }

    public long MeasureEnd => Volatile.Read(ref _measureEnd);

    public bool IsTimed { get; }

    public bool Stopping => _stopping;

    /// <summary>Whether a client may start another operation at <paramref name="now"/>, and whether it is measured.</summary>
    public bool TryBegin(long now, out bool measured)
    {
        measured = now >= MeasureStart;
        if (_stopping) return false;
        if (now >= MeasureEnd)
        {
            _stopping = true;
            return false;
        }
        if (measured && !IsTimed && Interlocked.Decrement(ref _remainingOps) < 0)
        {
            _stopping = true;
            return false;
        }
        return true;
    }

    /// <summary>Whether an operation that began measured and ended at <paramref name="end"/> counts.</summary>
    public bool Counts(bool measured, long end)
    {
        if (!measured || end > MeasureEnd) return false;
        long last;
        while (end > (last = Volatile.Read(ref _lastMeasuredEnd)) && Interlocked.CompareExchange(ref _lastMeasuredEnd, end, last) != last)
        {
        }
        return true;
    }

    /// <summary>Ends the run early (Ctrl+C): nothing new starts, and only what completed by <paramref name="now"/> counts.</summary>
    public void Stop(long now)
    {
        _stopping = true;
        long end;
        while (now < (end = MeasureEnd) && Interlocked.CompareExchange(ref _measureEnd, now, end) != end)
        {
        }
    }

    /// <summary>The measured span: the planned duration of a timed run, else up to the last counted completion.</summary>
    public TimeSpan Measured()
    {
        var end = MeasureEnd != long.MaxValue ? MeasureEnd : Volatile.Read(ref _lastMeasuredEnd);
        return end > MeasureStart ? Stopwatch.GetElapsedTime(MeasureStart, end) : TimeSpan.Zero;
    }

    public double SecondsSinceStart(long timestamp) => Stopwatch.GetElapsedTime(MeasureStart, timestamp).TotalSeconds;

    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
