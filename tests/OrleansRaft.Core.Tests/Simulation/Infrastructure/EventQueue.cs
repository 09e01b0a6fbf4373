namespace OrleansRaft.Core.Tests.Simulation.Infrastructure;

/// <summary>
/// The simulator's only source of progress: actions scheduled at virtual times, run one at a time in time
/// order. Ties run in scheduling order, so a run is a pure function of its seed.
/// </summary>
internal sealed class EventQueue
{
    private readonly PriorityQueue<Action, (long Time, long Order)> _queue = new();
    private long _scheduled;
    private long _lastStamp = -1;

    /// <summary>Virtual time of the action running now (microseconds).</summary>
    public long Now { get; private set; }

    /// <summary>Actions run so far.</summary>
    public long Executed { get; private set; }

    public int Pending => _queue.Count;

    public void At(long time, Action action)
    {
        if (time < Now) throw new ArgumentOutOfRangeException(nameof(time), $"Cannot schedule at {time}, before now ({Now}).");
        _queue.Enqueue(action, (time, _scheduled++));
    }

    public void After(long delay, Action action) => At(Now + Math.Max(0, delay), action);

    /// <summary>Runs the next action if it is due at or before <paramref name="until"/>; false when none is.</summary>
    public bool RunNext(long until)
    {
        if (!_queue.TryPeek(out _, out var key) || key.Time > until) return false;
        var action = _queue.Dequeue();
        Now = key.Time;
        Executed++;
        action();
        return true;
    }

    /// <summary>Runs every action due up to <paramref name="until"/>, then sets the clock to it.</summary>
    public void RunUntil(long until)
    {
        while (RunNext(until)) { }
        if (until > Now) Now = until;
    }

    /// <summary>A strictly increasing timestamp (in nanoseconds of virtual time) that also orders events within
    /// one instant: history records use it, so that a return and a later call at the same microsecond are never
    /// mistaken for concurrent ones.</summary>
    public long Stamp() => _lastStamp = Math.Max(Now * 1000, _lastStamp + 1);
}
