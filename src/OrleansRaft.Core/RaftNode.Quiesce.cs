using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tracking;

namespace OrleansRaft.Core;

/// <summary>
/// Quiescence (CockroachDB's quiesced ranges, TiKV's hibernated regions): an idle group stops heartbeating and stops
/// its election timers, so that it costs its hosts no wake-ups. It is state and messages only; the host's timer follows
/// <see cref="IsQuiescent"/>. The rules:
/// <list type="number">
/// <item>A leader quiesces after <see cref="RaftConfig.QuiesceTicks"/> ticks in which it took no proposal or read and
/// every member (learners too) has matched its whole log, all of it committed in its term and durable on the leader,
/// with no read waiting and no transfer running. Its last heartbeat carries <see cref="Heartbeat.Quiesce"/> and that
/// commit index; it waits for no answer, and late answers to earlier heartbeats do not wake it.</item>
/// <item>A follower quiesces on that heartbeat only if its log ends exactly at the heartbeat's commit index. Otherwise it
/// answers (<see cref="HeartbeatReply.Quiesce"/> set), and the answer wakes the leader, which catches it up (the leader's view of it was stale).</item>
/// <item>A quiescent node does nothing on <see cref="Tick"/>. Any message but a quiescing heartbeat wakes it, as do a
/// proposal, a read, a transfer or a membership change addressed to it, follower or leader, and <see cref="Wake"/>: the
/// host calls it when its cluster's membership changes, so that the followers of a leader whose host died start their
/// election timers again and replace it. A follower woken by a client keeps its timer running: if the leader is still
/// there, the client's retry at the leader wakes it; if not, the follower campaigns.</item>
/// <item>Nothing else changes: a woken leader confirms each read with a heartbeat round, and a quiet follower still
/// grants no vote within its lease (its timer restarts where it stopped, at most an election timeout from expiring).</item>
/// </list>
/// </summary>
public sealed partial class RaftNode
{
    private bool _quiescent;

    /// <summary>Leader: consecutive ticks in which it could have quiesced.</summary>
    private int _quietTicks;

    /// <summary>The group is quiet here: <see cref="Tick"/> does nothing until a message, a request or <see cref="Wake"/>.</summary>
    public bool IsQuiescent => _quiescent;

    /// <summary>Ends quiescence (the host learned that a member of its cluster came or went). Does nothing to a node that
    /// is not quiescent.</summary>
    public void Wake()
    {
        if (!_quiescent) return;
        _quiescent = false;
        _quietTicks = 0;
        // The CheckQuorum round restarts now: while quiet, a leader heard from nobody and expected nothing.
        if (Role == RaftRole.Leader) _electionElapsed = 0;
    }

    /// <summary>A client request addressed to this node: the group is no longer idle.</summary>
    private void WakeForRequest()
    {
        Wake();
        _quietTicks = 0;
    }

    /// <summary>Everything wakes a quiet node but its own quiescing heartbeat and, at a leader, the answer to a heartbeat
    /// it sent before going quiet (late, and no news: the quiescing heartbeat came after it).</summary>
    private static bool WakesOnStep(RaftMessage message) =>
        message is not (Heartbeat { Quiesce: true } or HeartbeatReply { Quiesce: false });

    private void TickQuiescence()
    {
        if (_config.QuiesceTicks == 0 || Role != RaftRole.Leader) return;
        if (!MayQuiesce())
        {
            _quietTicks = 0;
            return;
        }
        // Not on a tick that broadcast a heartbeat: its answers would arrive after the quiescing one.
        if (++_quietTicks < _config.QuiesceTicks || _heartbeatElapsed == 0) return;
        _quiescent = true;
        _quietTicks = 0;
        // The commit index each member is known to hold, as in every heartbeat: its whole log, unless a bug let a
        // member behind through, and then it still commits nothing it has not matched.
        foreach (var (peer, progress) in _progress)
            Send(new Heartbeat(Id, peer, Term, Math.Min(progress.Match, _log.Committed), _readRound, Quiesce: true));
    }

    private bool MayQuiesce()
    {
        if (_leadTransferee is not null || _pendingReads.Count > 0 || _readRoundQueued || _confirmedReads.Count > 0) return false;
        var last = _log.LastIndex;
        if (!CommittedInCurrentTerm() || _log.Committed != last || _log.Stabled != last) return false;
        if (_config.Bugs.HasFlag(PlantedBugs.QuiesceWhileBehind)) return true;
        foreach (var progress in _progress.Values)
            if (progress.Match != last || progress.State != ProgressState.Replicate) return false;
        return true;
    }

    /// <summary>Rule 2: whether this follower quiesces on <paramref name="heartbeat"/> (else it answers it).</summary>
    private bool QuiesceOn(Heartbeat heartbeat)
    {
        var caughtUp = _log.LastIndex == heartbeat.Commit && _log.Committed == heartbeat.Commit;
        if (!caughtUp && !_config.Bugs.HasFlag(PlantedBugs.QuiesceWhileBehind)) return false;
        _quiescent = true;
        return true;
    }

    /// <summary>Planted bug <see cref="PlantedBugs.QuiescentReadWithoutRound"/> only: serves the read at once.</summary>
    private bool ServeQuiescentRead(long context)
    {
        if (!_quiescent || Role != RaftRole.Leader || !_config.Bugs.HasFlag(PlantedBugs.QuiescentReadWithoutRound)) return false;
        _confirmedReads.Add(new ReadState(context, _log.Committed));
        return true;
    }
}
