namespace OrleansRaft.Grains.Peers;

/// <summary>The timer follows the node's quiescence (<c>RaftNode.Quiesce.cs</c>): while the group is quiet, a tick
/// would do nothing in the node, so the timer slows to <see cref="Hosting.RaftGroupOptions.QuietTickPeriod"/>, which only
/// expires abandoned requests and keeps the activation alive (a deactivated peer would not hear the membership
/// wake-up). Every loop of <see cref="ProcessReadyAsync"/> ends here, so a message or request that woke the node brings
/// the fast timer back before the next tick is due.</summary>
internal sealed partial class RaftPeerGrain
{
    private IDisposable? _membershipWatch;
    private TimeSpan _tickPeriod;
    private TimeSpan _quietTickPeriod;
    private bool _timerQuiet;

    private void FollowQuiescence()
    {
        if (_timer is null || _fenced || _refusal is not null) return;
        // A request still pending keeps the fast timer: its deadline is checked on ticks.
        var quiet = _node.IsQuiescent && _proposals.Count == 0 && _queries.Count == 0;
        if (quiet == _timerQuiet) return;
        _timerQuiet = quiet;
        if (quiet) _timer.Change(UntilNextQuietTick(Environment.TickCount64, _quietTickPeriod), _quietTickPeriod);
        else _timer.Change(_tickPeriod, _tickPeriod);
    }

    /// <summary>The time from <paramref name="nowMs"/> (<see cref="Environment.TickCount64"/>) to the next multiple of
    /// <paramref name="period"/>. Every quiet peer of the silo ticks on the same beat, so the runtime's timer queue
    /// fires them all in one pass and the thread pool wakes once for all of them: with each peer on its own phase, 100
    /// quiet peers were 20 separate wake-ups a second, each ending in the pool's spin-wait.</summary>
    internal static TimeSpan UntilNextQuietTick(long nowMs, TimeSpan period)
    {
        var periodMs = Math.Max(1, (long)period.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(periodMs - nowMs % periodMs);
    }

    /// <summary>A silo joined, died or left: wake, so that a quiet follower of a leader that died campaigns.</summary>
    private void WakeOnMembershipChange()
    {
        if (_fenced || _refusal is not null) return;
        _node.Wake();
        FollowQuiescence();
    }
}
