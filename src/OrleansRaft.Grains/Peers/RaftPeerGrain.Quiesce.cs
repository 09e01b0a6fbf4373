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
        var period = quiet ? _quietTickPeriod : _tickPeriod;
        _timer.Change(period, period);
    }

    /// <summary>A silo joined, died or left: wake, so that a quiet follower of a leader that died campaigns.</summary>
    private void WakeOnMembershipChange()
    {
        if (_fenced || _refusal is not null) return;
        _node.Wake();
        FollowQuiescence();
    }
}
