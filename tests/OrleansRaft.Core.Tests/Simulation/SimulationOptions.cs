using OrleansRaft.Core.Tests.Simulation.Faults;
using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>
/// Everything that shapes one simulated run. <see cref="Draw"/> derives it from the seed, so a seed alone (with
/// the node count and planted bugs) names a run: Raft settings, storage speed, clients and the fault schedule.
/// </summary>
internal sealed record SimulationOptions
{
    public required int Seed { get; init; }

    public required int Nodes { get; init; }

    internal PlantedBugs Bugs { get; init; }

    /// <summary>Length of the run in ticks, the calm tail included.</summary>
    public int Ticks { get; init; } = 1000;

    /// <summary>The last ticks of the run: faults stop, every peer is up, the network is healed and reliable.</summary>
    public int CalmTicks { get; init; } = 200;

    /// <summary>After the run, clients stop issuing operations and the cluster gets this long to answer.</summary>
    public int DrainTicks { get; init; } = 30;

    /// <summary>Then the cluster must converge (every log complete and applied) within this many ticks.</summary>
    public int SettleTicks { get; init; } = 300;

    public int Clients { get; init; } = 3;

    public int Keys { get; init; } = 2;

    public int ElectionTicks { get; init; } = RaftConfig.DefaultElectionTicks;

    public int HeartbeatTicks { get; init; } = RaftConfig.DefaultHeartbeatTicks;

    public bool PreVote { get; init; } = true;

    public bool CheckQuorum { get; init; } = true;

    public int MaxInflightMessages { get; init; } = RaftConfig.DefaultMaxInflightMessages;

    public int MaxMessageBytes { get; init; } = RaftConfig.DefaultMaxMessageBytes;

    /// <summary>Largest command (<see cref="RaftConfig.MaxEntryBytes"/>); with <see cref="MaxUncommittedBytes"/>
    /// small, leaders refuse proposals for flow control and clients must back off.</summary>
    public int MaxEntryBytes { get; init; } = RaftConfig.DefaultMaxEntryBytes;

    public long MaxUncommittedBytes { get; init; } = RaftConfig.DefaultMaxUncommittedBytes;

    /// <summary>Each peer's clock runs up to this much fast or slow (0.05 = 5%), fixed per peer and incarnation.</summary>
    public double MaxClockDrift { get; init; }

    /// <summary>A write takes a uniform time in [<see cref="WriteMin"/>, <see cref="WriteMax"/>].</summary>
    public long WriteMin { get; init; }

    public long WriteMax { get; init; } = VirtualTime.Ms(1);

    public FaultPlan? Faults { get; init; }

    /// <summary>Quiescence and the client lulls that let the group go quiet, or null for peers that never quiesce.</summary>
    public QuiescePlan? Quiesce { get; init; }

    /// <summary>Peers snapshot their state machine and compact their logs by this policy.</summary>
    public SnapshotPolicy Snapshots { get; init; } = SnapshotPolicy.Never;

    /// <summary>Small chunks make every InstallSnapshot a multi-message transfer that faults can interrupt.</summary>
    public int MaxSnapshotChunkBytes { get; init; } = RaftConfig.DefaultMaxSnapshotChunkBytes;

    /// <summary>How each peer's host fences a second activation of it. Anything but <see cref="FencingPolicy.PerPeer"/>
    /// is a planted bug of the host (see <see cref="FencingMode"/>).</summary>
    public FencingPolicy Fencing { get; init; } = FencingPolicy.PerPeer;

    /// <summary>Entries per log row of the store (the grain's <c>LogSegmentEntries</c>, 64 by default).</summary>
    public int SegmentEntries { get; init; } = DurableStorage.DefaultSegmentEntries;

    /// <summary>Check that messages sent ahead of a write promise nothing that write holds. Off only to prove that
    /// the simulator also catches an early acknowledgement by its consequences.</summary>
    public bool CheckReadyContract { get; init; } = true;

    /// <summary>Check the Raft safety properties after every step. Off only to prove that the client history
    /// alone (all that a cluster test has) also reveals a bug.</summary>
    public bool CheckSafety { get; init; } = true;

    private static readonly int[] SegmentSizes = [1, 2, 4, 16, 64];

    /// <summary>Draws a run's options from <paramref name="random"/>, the run's one Random, freshly seeded with
    /// <paramref name="seed"/>: the same seed always gives the same options (and then the same run).</summary>
    public static SimulationOptions Draw(int seed, int nodes, PlantedBugs bugs, Random random)
    {
        var heartbeat = random.Next(1, 4);
        var slowDisk = random.Next(4) == 0;
        var tightFlow = random.Next(5) == 0;
        var options = new SimulationOptions
        {
            Seed = seed,
            Nodes = nodes,
            Bugs = bugs,
            Clients = random.Next(2, 6),
            Keys = random.Next(1, 4),
            ElectionTicks = random.Next(Math.Max(6, heartbeat * 3), 16),
            HeartbeatTicks = heartbeat,
            // Mostly the production defaults; sometimes without the optimizations that also protect liveness.
            PreVote = random.Next(5) != 0,
            CheckQuorum = random.Next(5) != 0,
            MaxInflightMessages = random.Next(3) == 0 ? random.Next(1, 4) : RaftConfig.DefaultMaxInflightMessages,
            // Small messages carry one or two entries, so match indexes land on every entry, old terms included.
            MaxMessageBytes = random.Next(3) == 0 ? random.Next(1, 200) : RaftConfig.DefaultMaxMessageBytes,
            MaxEntryBytes = tightFlow ? 256 : RaftConfig.DefaultMaxEntryBytes,
            MaxUncommittedBytes = tightFlow ? random.Next(256, 2048) : RaftConfig.DefaultMaxUncommittedBytes,
            MaxClockDrift = random.Next(2) == 0 ? 0 : random.NextDouble() * 0.1,
            WriteMin = slowDisk ? VirtualTime.Ms(2) : 0,
            WriteMax = slowDisk ? VirtualTime.Ms(2 + random.Next(20)) : VirtualTime.Ms(random.Next(0, 4)),
            Faults = FaultPlan.Draw(random),
            // Drawn last, so that the options above stay what they were for every seed.
            Snapshots = random.Next(4) == 0 ? SnapshotPolicy.Never : new SnapshotPolicy(random.Next(3, 40), random.Next(0, 8)),
            MaxSnapshotChunkBytes = random.Next(8, 200),
        };
        // Duplicate activations and the store's row size came later. They are drawn from a second source seeded by the
        // same seed, so that the run's one Random still yields the runs it did before for every seed that draws no
        // duplicate activations (half of them), and those runs stay what they were.
        var later = new Random(unchecked(seed * -1640531535 + 0x2545F491));
        var duplicates = later.Next(2) == 0 ? 0 : 0.05 + later.NextDouble() * 0.25;
        // Membership changes came later still, from a third source, for the same reason: the half of the runs that
        // draw none stay what they were.
        var membership = new Random(unchecked(seed * 1103515245 + 0x6A09E667));
        // Quiescence came last, from a fourth source: half the runs quiesce, the others stay what they were.
        var quiet = new Random(unchecked(seed * 747796405 + 0x3C6EF372));
        return options with
        {
            Quiesce = quiet.Next(2) == 0 ? null : QuiescePlan.Draw(options.Ticks, options.CalmTicks, options.ElectionTicks, quiet),
            SegmentEntries = SegmentSizes[later.Next(SegmentSizes.Length)],
            Faults = options.Faults! with
            {
                DuplicateActivation = duplicates,
                DuplicateLifetime = VirtualTime.Ms(20 + later.Next(1000)),
                DuplicateDuringWrite = duplicates > 0 ? later.NextDouble() * 0.01 : 0,
                Membership = membership.Next(2) == 0 ? null : MembershipPlan.Draw(nodes, membership),
            },
        };
    }

    public override string ToString() =>
        $"seed {Seed}, {Nodes} nodes, {Ticks} ticks ({CalmTicks} calm), {Clients} clients on {Keys} keys, " +
        $"election {ElectionTicks} / heartbeat {HeartbeatTicks} ticks, PreVote {PreVote}, CheckQuorum {CheckQuorum}, " +
        $"inflight {MaxInflightMessages}, message bytes {MaxMessageBytes}, uncommitted bytes {MaxUncommittedBytes}, " +
        $"clock drift {MaxClockDrift:P1}, writes {VirtualTime.Format(WriteMin)}..{VirtualTime.Format(WriteMax)}" +
        (Snapshots.Every > 0 ? $", snapshot every {Snapshots.Every} entries keeping {Snapshots.CatchUp}, chunks of {MaxSnapshotChunkBytes} bytes" : ", no snapshots") +
        $", log rows of {SegmentEntries} entries" +
        (Bugs != PlantedBugs.None ? $", planted {Bugs}" : "") +
        (Fencing != FencingPolicy.PerPeer ? $", fencing {Fencing} (planted)" : "") +
        (Quiesce is null ? "" : $", {Quiesce}") +
        (Faults is null ? ", no faults" : $"; faults: {Faults}");
}
