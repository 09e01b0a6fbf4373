using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Network;

namespace OrleansRaft.Core.Tests.Simulation.Faults;

/// <summary>The disruptions the nemesis may inject during a scheduled fault action.</summary>
internal enum FaultKind
{
    CrashPeer,
    CrashLeader,
    Partition,
    IsolateLeader,
    OneWayCut,
    Heal,
    ChangeNetwork,

    /// <summary>The paper's Figure 8 as a randomized episode, see <see cref="Nemesis"/>.</summary>
    Figure8,

    /// <summary>Freeze a peer (often the leader) for a while, as a long GC pause or a stopped VM would.</summary>
    PausePeer,
}

// Duplicate activations are not a weighted kind: adding one would change every run's weights. They have a chance of
// their own per scheduled action (FaultPlan.DuplicateActivation).

/// <summary>
/// One run's fault schedule, drawn from its seed. Scheduled faults (crashes, partitions, network changes) fire
/// at random intervals; triggered faults fire on the peer events that expose the subtle bugs: a crash right
/// after a vote is durable, a crash while entries are being written (possibly tearing the write), a leader dying
/// just after it started replicating.
/// </summary>
internal sealed record FaultPlan
{
    public required IReadOnlyDictionary<FaultKind, int> Weights { get; init; }

    /// <summary>Mean time between scheduled fault actions.</summary>
    public long MeanInterval { get; init; }

    /// <summary>Longest time a crashed peer stays down (it restarts after a random share of it).</summary>
    public long MaxDowntime { get; init; }

    /// <summary>Network conditions drawn for <see cref="FaultKind.ChangeNetwork"/> are at most this bad.</summary>
    public required NetworkConditions WorstNetwork { get; init; }

    /// <summary>Chance that a peer crashes right after its vote for another peer became durable (and was sent).</summary>
    public double CrashAfterVote { get; init; }

    /// <summary>Chance that a peer crashes while it writes entries.</summary>
    public double CrashDuringWrite { get; init; }

    /// <summary>Chance that such a crash tears the write: the entries land, the hard state does not.</summary>
    public double TornWrite { get; init; }

    /// <summary>Chance that a leader crashes moments after it starts writing (and replicating) new entries.</summary>
    public double LeaderCrashAfterAppend { get; init; }

    /// <summary>Chance that a new leader dies during its first write (its no-op) or before its first appends are
    /// all delivered, losing what was still on the wire.</summary>
    public double LeaderCrashAfterElection { get; init; }

    /// <summary>The network once faults stop: reliable, or still losing, duplicating and reordering a little.
    /// Raft must converge over fair-lossy links too; a leader that never resends a lost append would not.</summary>
    public NetworkConditions CalmNetwork { get; init; } = NetworkConditions.Reliable;

    /// <summary>Chance that a scheduled fault action also starts a second activation of a peer (often the leader)
    /// over the same store, as the Orleans runtime may: both run, receive the peer's messages and tick, until the
    /// older one is fenced or retired.</summary>
    public double DuplicateActivation { get; init; }

    /// <summary>Chance that a second activation claims a peer while one of its writes is in flight.</summary>
    public double DuplicateDuringWrite { get; init; }

    /// <summary>Longest time the older activation keeps running once the newer one has loaded (it retires after a
    /// random share of it), unless a fence ends it first.</summary>
    public long DuplicateLifetime { get; init; }

    /// <summary>Membership changes and leadership transfers, or null for a group whose membership never changes.</summary>
    public MembershipPlan? Membership { get; init; }

    public static FaultPlan Draw(Random random)
    {
        var weights = new Dictionary<FaultKind, int>();
        foreach (var kind in Enum.GetValues<FaultKind>())
            weights[kind] = random.Next(3) == 0 ? 0 : random.Next(1, 6);
        // Every schedule can undo what it does.
        weights[FaultKind.Heal] = Math.Max(weights[FaultKind.Heal], 2);
        double Maybe(double max) => random.Next(2) == 0 ? 0 : random.NextDouble() * max;
        return new FaultPlan
        {
            Weights = weights,
            MeanInterval = VirtualTime.Ms(50 + random.Next(400)),
            MaxDowntime = VirtualTime.Ms(50 + random.Next(1500)),
            WorstNetwork = new NetworkConditions
            {
                DropRate = random.NextDouble() * 0.3,
                DuplicateRate = random.NextDouble() * 0.1,
                ReorderRate = random.Next(3) == 0 ? 0 : random.NextDouble() * 0.5,
                MaxDelay = VirtualTime.Ms(1 + random.Next(20)),
                LongDelayRate = random.NextDouble() * 0.1,
                LongDelayMax = VirtualTime.Ms(50 + random.Next(500)),
            },
            CrashAfterVote = Maybe(0.3),
            CrashDuringWrite = Maybe(0.05),
            TornWrite = random.NextDouble(),
            LeaderCrashAfterAppend = Maybe(0.1),
            LeaderCrashAfterElection = Maybe(0.5),
            CalmNetwork = random.Next(2) == 0
                ? NetworkConditions.Reliable
                : new NetworkConditions
                {
                    DropRate = random.NextDouble() * 0.1,
                    DuplicateRate = random.NextDouble() * 0.05,
                    ReorderRate = random.NextDouble() * 0.1,
                    MaxDelay = VirtualTime.Ms(1 + random.Next(5)),
                },
        };
    }

    public override string ToString() =>
        $"every ~{VirtualTime.Format(MeanInterval)}: {string.Join(", ", Weights.Where(w => w.Value > 0).Select(w => $"{w.Key}x{w.Value}"))}; " +
        $"down up to {VirtualTime.Format(MaxDowntime)}; worst network {WorstNetwork}; calm network {CalmNetwork}; " +
        $"triggers: crash after vote {CrashAfterVote:P0}, during write {CrashDuringWrite:P1} (torn {TornWrite:P0}), leader after append {LeaderCrashAfterAppend:P1}, after election {LeaderCrashAfterElection:P0}" +
        (DuplicateActivation > 0
            ? $"; duplicate activations {DuplicateActivation:P0} of actions and {DuplicateDuringWrite:P2} of writes, living up to {VirtualTime.Format(DuplicateLifetime)}"
            : "") +
        (Membership is { } membership ? $"; membership: {membership}" : "");
}
