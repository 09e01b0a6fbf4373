using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Tracking;

namespace OrleansRaft.Core;

/// <summary>
/// Membership changes, one server at a time (thesis §4.1): the leader appends a <see cref="EntryType.ConfigChange"/>
/// entry, which takes effect on append (see <see cref="ConfigChange"/>). The leader refuses a change that would be
/// unsafe (one pending, or none of its own term committed yet), invalid for the configuration, or that would stop the
/// group (a learner promoted while far behind, a change after which the voters it hears from are not a majority).
/// </summary>
public sealed partial class RaftNode
{
    /// <summary>Proposes a membership change. Accepted, it is an entry like any other: the change is in force on
    /// this leader at once, done once the entry commits, and lost if another entry commits at its index.</summary>
    public ProposeResult ProposeConfigChange(ConfigChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        WakeForRequest();
        if (Role != RaftRole.Leader) return ProposeResult.Rejected(RejectReason.NotLeader, Leader);
        if (_leadTransferee is not null)
            return ProposeResult.Rejected(RejectReason.TransferInProgress, Id, $"leadership is being transferred to {_leadTransferee}");
        if (!CommittedInCurrentTerm() && !_config.Bugs.HasFlag(PlantedBugs.ConfigChangeBeforeTermCommit))
            return ProposeResult.Rejected(RejectReason.LeaderNotReady, Id, $"the leader of term {Term} has not committed an entry of its term yet");
        if (_log.Configs.LatestIndex > _log.Committed && !_config.Bugs.HasFlag(PlantedBugs.TwoConfigChangesInFlight))
            return ProposeResult.Rejected(RejectReason.ConfigChangePending, Id, $"the change at index {_log.Configs.LatestIndex} is not committed yet");
        var current = Configuration;
        var next = change.ApplyTo(current, out var invalid);
        if (next is null) return ProposeResult.Rejected(RejectReason.InvalidConfigChange, Id, invalid);
        if (change.Type == ConfigChangeType.Promote && LagOf(change.Peer) is var lag && lag > _config.MaxPromotionLagEntries)
            return ProposeResult.Rejected(RejectReason.LearnerBehind, Id,
                $"{change.Peer} is {lag} entries behind the leader; a learner is promoted within {_config.MaxPromotionLagEntries}");
        if (!KeepsQuorum(next, out var reachable))
            return ProposeResult.Rejected(RejectReason.WouldLoseQuorum, Id,
                $"after '{change}' the voters would be [{string.Join(", ", next.Voters)}], of which the leader hears from {reachable}: fewer than the {Quorum.Majority(next.Voters.Count)} needed to commit");

        var entry = new Entry(_log.LastIndex + 1, Term, EntryType.ConfigChange, ConfigChangeCodec.Encode(change, next));
        AppendAsLeader(entry);
        return ProposeResult.Ok(entry.Index, entry.Term);
    }

    /// <summary>How many entries a member's log lags behind this leader's (0 for the leader itself).</summary>
    private long LagOf(string peer) =>
        peer == Id ? 0 : _progress.TryGetValue(peer, out var progress) ? _log.LastIndex - progress.Match : _log.LastIndex;

    /// <summary>Whether the voters of <paramref name="next"/> this leader has heard from lately are a majority of them.</summary>
    private bool KeepsQuorum(Configuration next, out int reachable)
    {
        reachable = 0;
        foreach (var voter in next.Voters)
            if (voter == Id || (_progress.TryGetValue(voter, out var progress) && progress.Responsive)) reachable++;
        return reachable >= Quorum.Majority(next.Voters.Count);
    }

    /// <summary>The leader appended a configuration: track the members it added, and see whether the new majority
    /// commits more. A removed peer keeps its progress (counted for nothing: every quorum is taken over the
    /// configuration's voters) until it holds its removal: without it, the removed peer would never learn it was
    /// removed and would campaign for ever (and, without PreVote and CheckQuorum, depose the leader).</summary>
    private void OnLeaderConfigurationChanged()
    {
        var configuration = Configuration;
        foreach (var peer in OtherMembers())
        {
            if (_progress.TryGetValue(peer, out var progress)) progress.IsLearner = configuration.IsLearner(peer);
            else AddProgress(peer);
        }
        MaybeCommit();
    }

    /// <summary>Forgets a removed peer once it holds the configuration that removed it.</summary>
    private bool ForgetIfRemoved(string peer, Progress progress)
    {
        if (Configuration.Contains(peer) || progress.Match < _log.Configs.LatestIndex) return false;
        _progress.Remove(peer);
        return true;
    }

    private void AddProgress(string peer) =>
        _progress[peer] = new Progress(_log.LastIndex + 1, _config.MaxInflightMessages)
        {
            RecentActive = true,
            IsLearner = Configuration.IsLearner(peer),
        };

    /// <summary>The change that removed this leader has committed (thesis §4.2.2: until then it led a configuration
    /// it was not part of, without counting itself). It hands over to the voter furthest along, so that the group
    /// need not wait an election timeout, and steps down.</summary>
    private void StepDownRemoved()
    {
        string? successor = null;
        long best = -1;
        var configuration = Configuration;
        foreach (var (peer, progress) in _progress)
        {
            if (!configuration.IsVoter(peer) || progress.Match <= best) continue;
            successor = peer;
            best = progress.Match;
        }
        if (successor is not null && best == _log.LastIndex) SendTimeoutNow(successor);
        BecomeFollower(Term, leader: null);
    }

    /// <summary>A leader's view of every other member: for <c>status</c> (match, lag, learner or voter).</summary>
    public IReadOnlyList<FollowerProgress> Followers
    {
        get
        {
            if (Role != RaftRole.Leader) return [];
            var configuration = Configuration;
            var followers = new List<FollowerProgress>(_progress.Count);
            foreach (var (peer, progress) in _progress.OrderBy(p => p.Key, StringComparer.Ordinal))
                if (configuration.Contains(peer))
                    followers.Add(new FollowerProgress(peer, progress.IsLearner, progress.Match, progress.Next, progress.State.ToString(), progress.Responsive));
            return followers;
        }
    }
}

/// <summary>A leader's view of one follower: how far its log matches, what it sends next, and whether it answers.</summary>
public sealed record FollowerProgress(string Peer, bool IsLearner, long Match, long Next, string State, bool Responsive);
