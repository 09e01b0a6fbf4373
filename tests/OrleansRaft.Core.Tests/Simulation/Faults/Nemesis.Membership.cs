using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Simulation.Faults;

/// <summary>
/// Membership changes and leadership transfers (<see cref="MembershipPlan"/>), with faults where they hurt: scheduled
/// ones at the leader on top of the fault actions, a new leader asked for a change at once, a leader cut off or crashed
/// as it appends a change, a transfer disturbed on its way. Every change is a single-server one of the configuration
/// the leader has in force; the leader refuses the unsafe ones, and a refusal is simply the end of that attempt (the
/// new-leader trigger retries until its leader accepts or goes).
/// </summary>
internal sealed partial class Nemesis
{
    /// <summary>A scheduled fault action's membership part; draws nothing in runs without membership changes.</summary>
    private void ActOnMembership()
    {
        if (plan.Membership is not { } membership) return;
        // While an interrupted-change episode waits for its next leader, the operator holds off.
        if (InterruptedChangePending) return;
        if (Chance(membership.ChangeRate) && cluster.Leader is { } leader) ChangeMembership(leader, membership, "scheduled");
        if (Chance(membership.InterruptedChange) && cluster.Leader is { } interrupted && StartInterruptedChange(interrupted, membership)) return;
        if (Chance(membership.TransferRate) && cluster.Leader is { } from) TransferLeadership(from, membership);
    }

    /// <summary>Called when a peer's write starts, before the other triggers. Returns true when the write belongs to an
    /// interrupted-change episode's new leader: no other trigger then fires on it.</summary>
    private bool OnWriteStartedMembership(SimPeer peer, Ready ready, long duration, MembershipPlan membership)
    {
        if (ready.SoftState.Role != RaftRole.Leader) return false;
        var term = ready.SoftState.Term;
        if (IsFirstWriteOfNewLeader(ready) && OnNewLeaderOfInterruptedChange(peer, term, membership)) return true;
        // An episode under way keeps its partitions: the cuts below would undo them.
        if (InterruptedChangePending || _splitLeader == (peer, term)) return false;
        if (IsFirstWriteOfNewLeader(ready) && Chance(membership.ChangeOnElection))
        {
            var incarnation = peer.Incarnation;
            cluster.Queue.After(0, () => ChangeOnceAllowed(peer, incarnation, term, membership, attempts: 0));
            // Its no-op went out ahead of its write: cut now, it reaches only the leader's side, and the voters on the
            // other side hold no entry of its term (so they may still elect a leader of an earlier configuration).
            if (Chance(membership.CutAfterChange)) CutOff(peer, "as it starts leading");
        }
        if (ready.Entries.Any(e => e.Type == EntryType.ConfigChange && e.Term == term) && Chance(membership.CutAfterChange))
            CutOffAfterChange(peer, duration);
        return false;
    }

    /// <summary>Proposes a change at the new leader of <paramref name="term"/>, again every moment while it answers
    /// that it cannot yet (no entry of its term committed, a change pending, a transfer under way).</summary>
    private void ChangeOnceAllowed(SimPeer peer, int incarnation, long term, MembershipPlan membership, int attempts, bool votersOnly = false)
    {
        if (!Active || !peer.IsUp || peer.Incarnation != incarnation || peer.Node is not { Role: RaftRole.Leader } node || node.Term != term) return;
        var result = ChangeMembership(peer, membership, $"as soon as the new leader of term {term} accepts one, attempt {attempts + 1}", votersOnly);
        if (result.Reason is (RejectReason.LeaderNotReady or RejectReason.ConfigChangePending or RejectReason.TransferInProgress) && attempts < 100)
            cluster.Queue.After(VirtualTime.Ms(0.2 + 2 * cluster.Random.NextDouble()),
                () => ChangeOnceAllowed(peer, incarnation, term, membership, attempts + 1, votersOnly));
    }

    /// <summary>The leader has just started writing a change of its own term, and its appends are on the wire: it is cut
    /// off now with a random few of the others (what it sent across the cut is lost), or crashes before its write
    /// lands, losing what is on the wire. The change then lives on a minority, perhaps only on the leader, while the
    /// others elect a leader of their own.</summary>
    private void CutOffAfterChange(SimPeer leader, long duration)
    {
        if (cluster.Random.Next(4) == 0)
        {
            CrashLater(leader, (long)(cluster.Random.NextDouble() * duration), Chance(plan.TornWrite), "crash appending a membership change",
                downtime: VirtualTime.Ms(cluster.Random.Next(10, 500)), loseOutgoing: true);
            return;
        }
        CutOff(leader, "as it appends a membership change");
    }

    /// <summary>Cuts the leader off now with a random few of the others (each a third of the time).</summary>
    private void CutOff(SimPeer leader, string when)
    {
        var side = cluster.Peers.Where(p => p != leader && cluster.Random.Next(3) == 0).Select(p => p.Id).ToList();
        Split(leader.Id, side, $"leader {leader.Id} cut off with [{string.Join(",", side)}] {when}");
    }

    /// <param name="votersOnly">Draw only changes of the voters (promote a learner, remove a voter).</param>
    /// <param name="keep">A voter not to remove.</param>
    private ProposeResult ChangeMembership(SimPeer leader, MembershipPlan membership, string why, bool votersOnly = false, string? keep = null)
    {
        if (leader.Node is not { Role: RaftRole.Leader } node || DrawChange(node.Configuration, membership, votersOnly, keep) is not { } change)
            return new ProposeResult(RejectReason.NotLeader, 0, 0, null);
        var result = cluster.ProposeConfigChange(leader, change, why);
        // A correct leader refuses the second while the first is uncommitted.
        if (result.Accepted && Chance(membership.SecondChange) && leader.Node is { } after && DrawChange(after.Configuration, membership) is { } second)
            cluster.ProposeConfigChange(leader, second, "a second change at once");
        return result;
    }

    /// <summary>A single-server change of <paramref name="configuration"/> within the plan's bounds: a learner added
    /// (a new peer), promoted or removed, or a voter removed (the leader among them). Changes of the voters, the ones
    /// whose majorities must overlap, weigh twice as much as those of the learners alone. Null if none fits.</summary>
    private ConfigChange? DrawChange(Configuration configuration, MembershipPlan membership, bool votersOnly = false, string? keep = null)
    {
        var voters = keep is null ? configuration.Voters : [.. configuration.Voters.Where(v => v != keep)];
        var learners = configuration.Learners;
        var choices = new List<Func<ConfigChange>>(6);
        if (!votersOnly && learners.Count < membership.MaxLearners) choices.Add(() => new ConfigChange(ConfigChangeType.AddLearner, cluster.NextPeerId));
        if (!votersOnly && learners.Count > 0) choices.Add(() => new ConfigChange(ConfigChangeType.Remove, Pick(learners)));
        for (var weight = 0; weight < 2; weight++)
        {
            if (learners.Count > 0 && configuration.Voters.Count < membership.MaxVoters) choices.Add(() => new ConfigChange(ConfigChangeType.Promote, Pick(learners)));
            if (configuration.Voters.Count > membership.MinVoters && voters.Count > 0) choices.Add(() => new ConfigChange(ConfigChangeType.Remove, Pick(voters)));
        }
        return choices.Count == 0 ? null : choices[cluster.Random.Next(choices.Count)]();
    }

    /// <summary>Hands leadership to another voter, caught up or lagging (half each when there are both), and sometimes
    /// disturbs the transfer on its way.</summary>
    private void TransferLeadership(SimPeer leader, MembershipPlan membership)
    {
        if (leader.Node is not { Role: RaftRole.Leader } node) return;
        var voters = node.Followers.Where(f => node.Configuration.IsVoter(f.Peer)).ToList();
        if (voters.Count == 0) return;
        var caughtUp = voters.Where(f => f.Match == node.LastIndex).ToList();
        var lagging = voters.Where(f => f.Match < node.LastIndex).ToList();
        var pool = caughtUp.Count > 0 && (lagging.Count == 0 || cluster.Random.Next(2) == 0) ? caughtUp : lagging;
        var target = pool[cluster.Random.Next(pool.Count)];
        var how = target.Match == node.LastIndex ? "caught up" : $"{node.LastIndex - target.Match} entries behind";
        if (!cluster.TransferLeadership(leader, target.Peer, $"scheduled, to a voter {how}").Accepted) return;
        if (Chance(membership.DisturbTransfer)) DisturbTransfer(leader, target.Peer);
    }

    /// <summary>Moments into a transfer, the leader or the target crashes, or the link between them goes down (the
    /// appends that catch the target up, or the TimeoutNow, are lost).</summary>
    private void DisturbTransfer(SimPeer leader, string target)
    {
        var after = (long)(cluster.Random.NextDouble() * 3 * plan.WorstNetwork.MaxDelay);
        if (cluster.Random.Next(3) == 0)
        {
            cluster.Queue.After(after, () =>
            {
                if (!Active) return;
                cluster.Network.Cut(leader.Id, target);
                cluster.Trace($"link {leader.Id}-{target} cut during the transfer");
            });
            return;
        }
        var victim = cluster.Random.Next(2) == 0 ? leader : cluster.Peers.FirstOrDefault(p => p.Id == target);
        if (victim is null) return;
        CrashLater(victim, after, torn: false, $"crash during the transfer from {leader.Id} to {target}",
            downtime: VirtualTime.Ms(cluster.Random.Next(10, 300)), loseOutgoing: cluster.Random.Next(2) == 0);
    }

    private string Pick(IReadOnlyList<string> peers) => peers[cluster.Random.Next(peers.Count)];
}
