using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Simulation.Faults;

/// <summary>Faults triggered by peer events rather than the clock: a crash right after a vote, during a write
/// (possibly tearing it), or of a leader that has just started replicating; a second activation claiming the
/// peer while its write is in flight; and the fates the Figure 8 episode arms for the next leaders.</summary>
internal sealed partial class Nemesis
{
    /// <summary>Called when a peer's write starts and will take <paramref name="duration"/>.</summary>
    public void OnWriteStarted(SimPeer peer, Ready ready, long duration)
    {
        if (!Active) return;
        if (plan.Membership is { } membership && OnWriteStartedMembership(peer, ready, duration, membership)) return;
        if (IsFirstWriteOfNewLeader(ready) && _armed.TryDequeue(out var fate))
        {
            MeetFate(peer, fate, duration);
        }
        else if (IsFirstWriteOfNewLeader(ready) && Chance(plan.LeaderCrashAfterElection))
        {
            // A new leader dies before its no-op is durable, or before all its first appends are delivered:
            // old entries reach some followers and its no-op fewer (Figure 8's raw material).
            var window = Math.Max(duration, plan.WorstNetwork.MaxDelay);
            CrashLater(peer, (long)(cluster.Random.NextDouble() * window), torn: false, "new leader crash",
                downtime: VirtualTime.Ms(cluster.Random.Next(10, 300)), loseOutgoing: true);
        }
        else if (ready.Entries.Count > 0 && duration > 0 && Chance(plan.CrashDuringWrite))
        {
            var torn = Chance(plan.TornWrite);
            CrashLater(peer, (long)(cluster.Random.NextDouble() * duration), torn, torn ? "crash tearing a write" : "crash during a write");
        }
        else if (ready.SoftState.Role == RaftRole.Leader && ready.Entries.Count > 0 && Chance(plan.LeaderCrashAfterAppend))
        {
            // Dies while its appends are on the wire, losing those not yet delivered: some followers get the
            // entries, some do not, and the leader soon comes back to compete (Figure 8's raw material).
            CrashLater(peer, (long)(cluster.Random.NextDouble() * plan.WorstNetwork.MaxDelay), torn: false, "leader crash mid-replication",
                downtime: VirtualTime.Ms(cluster.Random.Next(10, 300)), loseOutgoing: true);
        }
        else if (duration > 0 && !peer.HasDuplicates && Chance(plan.DuplicateDuringWrite))
        {
            // Another activation claims the peer while this write is in flight, and loads before or after it lands.
            var loadAfter = (long)(cluster.Random.NextDouble() * 2 * duration);
            cluster.Queue.After(0, () =>
            {
                if (Active && peer.IsUp && !peer.HasDuplicates) DuplicateActivation(peer, loadAfter);
            });
        }
    }

    /// <summary>Called when a peer's write is durable, just before its messages go out.</summary>
    public void OnPersisted(SimPeer peer, Ready ready, HardState before)
    {
        // Only a new vote for another peer: not every hard state that merely carries one (commit updates).
        if (!Active || ready.HardState is not { Vote: { } vote } hard || vote == peer.Id) return;
        if (hard.Term == before.Term && hard.Vote == before.Vote) return;
        if (Chance(plan.CrashAfterVote))
            CrashLater(peer, 0, torn: false, $"crash right after voting for {vote}", downtime: VirtualTime.Ms(cluster.Random.Next(1, 30)));
    }

    private static bool IsFirstWriteOfNewLeader(Ready ready) =>
        ready.SoftState.Role == RaftRole.Leader
        && ready.Entries.Any(e => e.Type == EntryType.NoOp && e.Term == ready.SoftState.Term);
}
