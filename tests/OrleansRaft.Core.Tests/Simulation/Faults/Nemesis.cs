using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Network;
using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Simulation.Faults;

/// <summary>
/// Injects a run's <see cref="FaultPlan"/>: scheduled faults until <see cref="Calm"/>, and triggered faults on
/// peer events. Every decision draws from the run's one Random, so a seed replays the same faults.
/// </summary>
internal sealed partial class Nemesis(IClusterControl cluster, FaultPlan plan, long electionTimeout)
{
    private readonly int _totalWeight = plan.Weights.Values.Sum();

    public bool Active { get; private set; }

    public int Actions { get; private set; }

    public void Start()
    {
        Active = true;
        ScheduleNext();
    }

    /// <summary>Stops injecting, heals partitions and restarts every crashed peer: the cluster must recover,
    /// over a network that may still lose a few messages.</summary>
    public void Calm()
    {
        Active = false;
        // The operator shuts down the removed peers still running, unless the run keeps them to the end (a removed peer
        // that never learned of its removal keeps campaigning; without PreVote and CheckQuorum that disrupts the group,
        // thesis §4.2.3).
        cluster.DecommissionRemoved();
        cluster.Network.Heal();
        cluster.Network.Conditions = plan.CalmNetwork;
        foreach (var peer in cluster.Peers)
        {
            cluster.RetireDuplicates(peer);
            if (!peer.IsUp) cluster.Restart(peer);
            // A peer muted by a Figure 8 episode whose crash was called off (it went down another way) is back too.
            cluster.Network.Attach(peer.Id);
        }
        cluster.Trace($"calm: partitions healed, all peers up, network {plan.CalmNetwork}");
    }

    private void ScheduleNext()
    {
        var delay = (long)(cluster.Random.NextDouble() * 2 * plan.MeanInterval);
        cluster.Queue.After(delay, () =>
        {
            if (!Active) return;
            Act();
            ScheduleNext();
        });
    }

    private void Act()
    {
        Actions++;
        var peers = cluster.Peers;
        // On top of the action's fault, not instead of it: the schedule's other faults keep their pace. Draws nothing
        // in runs without duplicate activations, so that their faults stay what they were.
        if (Chance(plan.DuplicateActivation)) DuplicateActivation();
        switch (Pick())
        {
            case FaultKind.CrashPeer:
                var up = peers.Where(p => p.IsUp).ToList();
                if (up.Count > 0) CrashLater(up[cluster.Random.Next(up.Count)], 0, Chance(plan.TornWrite), "scheduled crash");
                break;
            case FaultKind.CrashLeader when cluster.Leader is { } leader:
                CrashLater(leader, 0, Chance(plan.TornWrite), "scheduled leader crash");
                break;
            case FaultKind.Partition:
                Partition(peers);
                break;
            case FaultKind.IsolateLeader when cluster.Leader is { } leader:
                foreach (var peer in peers)
                    if (peer != leader) cluster.Network.Cut(leader.Id, peer.Id);
                cluster.Trace($"isolate leader {leader.Id}");
                break;
            case FaultKind.OneWayCut:
                for (var cuts = cluster.Random.Next(1, 4); cuts > 0; cuts--)
                {
                    var from = peers[cluster.Random.Next(peers.Count)].Id;
                    var to = peers[cluster.Random.Next(peers.Count)].Id;
                    if (from != to) cluster.Network.CutOneWay(from, to);
                }
                cluster.Trace($"one-way cuts: {cluster.Network.Describe()}");
                break;
            case FaultKind.Heal:
                cluster.Network.Heal();
                cluster.Trace("heal");
                break;
            case FaultKind.ChangeNetwork:
                cluster.Network.Conditions = DrawNetwork();
                cluster.Trace($"network: {cluster.Network.Conditions}");
                break;
            case FaultKind.PausePeer:
                var victim = cluster.Random.Next(2) == 0 && cluster.Leader is { } paused
                    ? paused
                    : peers[cluster.Random.Next(peers.Count)];
                var pause = (long)(cluster.Random.NextDouble() * 2 * electionTimeout);
                victim.Pause(pause);
                cluster.Trace($"{victim.Id} paused for {VirtualTime.Format(pause)}");
                break;
            case FaultKind.Figure8 when cluster.Leader is { } leader:
                StartFigure8(leader);
                break;
        }
        ActOnMembership();
    }

    /// <summary>A second activation of a peer (the leader half the time): it claims and loads while the first keeps
    /// running, within about one write or a few, and the first retires later if it was not fenced. Half the time it
    /// comes with a split brain, the usual reason for a second activation: the other peers split into two sides,
    /// cut off from each other, and each activation reaches only its own side (until the network is next healed).</summary>
    private void DuplicateActivation()
    {
        var up = cluster.Peers.Where(p => p.IsUp && !p.HasDuplicates).ToList();
        if (up.Count == 0) return;
        var victim = cluster.Random.Next(2) == 0 && cluster.Leader is { HasDuplicates: false } leader
            ? leader
            : up[cluster.Random.Next(up.Count)];
        DuplicateActivation(victim, (long)(cluster.Random.NextDouble() * VirtualTime.Ms(5)));
    }

    private void DuplicateActivation(SimPeer victim, long loadAfter)
    {
        var retireAfter = (long)((0.1 + 0.9 * cluster.Random.NextDouble()) * plan.DuplicateLifetime);
        HashSet<string> oldSide = new(StringComparer.Ordinal), newSide = new(StringComparer.Ordinal);
        if (cluster.Random.Next(2) == 0)
        {
            foreach (var other in cluster.Peers.Where(p => p != victim))
                (cluster.Random.Next(2) == 0 ? oldSide : newSide).Add(other.Id);
            foreach (var a in oldSide)
            foreach (var b in newSide)
                cluster.Network.Cut(a, b);
        }
        cluster.StartDuplicate(victim, loadAfter, retireAfter, olderCutOffFrom: newSide, newerCutOffFrom: oldSide);
    }

    private FaultKind Pick()
    {
        var roll = cluster.Random.Next(_totalWeight);
        foreach (var (kind, weight) in plan.Weights)
        {
            if (roll < weight) return kind;
            roll -= weight;
        }
        return FaultKind.Heal;
    }

    private void Partition(IReadOnlyList<SimPeer> peers)
    {
        var shuffled = peers.Select(p => p.Id).OrderBy(_ => cluster.Random.Next()).ToList();
        var groups = new List<IReadOnlyList<string>>();
        var start = 0;
        while (start < shuffled.Count)
        {
            var size = cluster.Random.Next(1, shuffled.Count - start + 1);
            groups.Add(shuffled.GetRange(start, size));
            start += size;
        }
        cluster.Network.Heal();
        cluster.Network.Partition(groups);
        cluster.Trace($"partition {string.Join(" | ", groups.Select(g => string.Join(",", g)))}");
    }

    private NetworkConditions DrawNetwork()
    {
        if (cluster.Random.Next(4) == 0) return NetworkConditions.Reliable;
        var worst = plan.WorstNetwork;
        double Share() => cluster.Random.NextDouble();
        return new NetworkConditions
        {
            DropRate = worst.DropRate * Share(),
            DuplicateRate = worst.DuplicateRate * Share(),
            ReorderRate = worst.ReorderRate * Share(),
            MaxDelay = Math.Max(worst.MinDelay + 1, (long)(worst.MaxDelay * Share())),
            LongDelayRate = worst.LongDelayRate * Share(),
            LongDelayMax = worst.LongDelayMax,
        };
    }

    private void RestartLater(SimPeer peer, long after) =>
        cluster.Queue.After(after, () =>
        {
            if (!peer.IsUp) cluster.Restart(peer);
        });

    private void CrashLater(SimPeer peer, long after, bool torn, string why, long? downtime = null, bool loseOutgoing = false)
    {
        var incarnation = peer.Incarnation;
        cluster.Queue.After(after, () =>
        {
            if (!Active || !peer.IsUp || peer.Incarnation != incarnation) return;
            cluster.Crash(peer, torn, loseOutgoing, why);
            RestartLater(peer, downtime ?? (long)(cluster.Random.NextDouble() * plan.MaxDowntime));
        });
    }

    private bool Chance(double probability) => probability > 0 && cluster.Random.NextDouble() < probability;
}
