using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansRaft.Cli.Bench;

/// <summary>
/// Watches writes around the moment the leader's process is killed. Writes resume at the first successful
/// completion of a write that STARTED after the kill: such a write cannot have been committed by the dead leader,
/// so it proves a new leader commits. Failed writes are kept (they are few) to count those whose outcome is
/// unknown within the window from the kill until writes resumed.
/// </summary>
internal sealed class FailoverProbe
{
    private readonly ConcurrentQueue<(long Start, long End, bool OutcomeUnknown)> _failedWrites = new();
    private long _killedAt;
    private long _resumedAt = long.MaxValue;

    /// <summary>Stopwatch timestamp of the kill; 0 until then.</summary>
    public long KilledAt => Volatile.Read(ref _killedAt);

    /// <summary>Stopwatch timestamp at which writes resumed; <see cref="long.MaxValue"/> while they have not.</summary>
    public long ResumedAt => Volatile.Read(ref _resumedAt);

    public void MarkKill(long timestamp) => Volatile.Write(ref _killedAt, timestamp);

    public void OnWrite(long start, long end, BenchError? error)
    {
        var killedAt = KilledAt;
        if (killedAt == 0) return;
        if (error is { } e)
        {
            if (end >= killedAt) _failedWrites.Enqueue((start, end, e.OutcomeUnknown));
            return;
        }
        if (start < killedAt) return;
        long resumed;
        while (end < (resumed = ResumedAt) && Interlocked.CompareExchange(ref _resumedAt, end, resumed) != resumed)
        {
        }
    }

    /// <summary>Failed writes in flight between the kill and the resumption (or the end, if writes never resumed).</summary>
    public (long OutcomeUnknown, long Failed) FailuresInWindow()
    {
        long unknown = 0, failed = 0;
        var resumed = ResumedAt;
        foreach (var (start, _, outcomeUnknown) in _failedWrites)
        {
            if (start > resumed) continue;
            if (outcomeUnknown) unknown++;
            else failed++;
        }
        return (unknown, failed);
    }

    public TimeSpan? ResumedAfter() =>
        KilledAt != 0 && ResumedAt != long.MaxValue ? Stopwatch.GetElapsedTime(KilledAt, ResumedAt) : null;
}
