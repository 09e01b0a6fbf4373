using OrleansRaft.Core.Tests.Simulation.Infrastructure;

namespace OrleansRaft.Core.Tests.Simulation.Faults;

/// <summary>
/// One run's membership changes and leadership transfers, drawn from its seed: what an operator does to the group
/// (add a learner, promote it, remove a voter or a learner, the leader included; hand leadership to a voter that is
/// caught up or lagging), and the faults placed where a change is most fragile. Scheduled operations ride on the
/// nemesis' fault actions; triggered ones fire on peer events.
/// </summary>
/// <remarks>
/// Single-server changes are safe only if any two configurations that can both be in force on some peers have
/// overlapping majorities. Two changes apart, or one change from a configuration that a new leader has not
/// confirmed with an entry of its own term, they can fail to overlap, and only when the voters are even in number
/// (Ongaro, raft-dev 2015: four voters, one leader adding a fifth while its successor removes one). So the bounds
/// keep even voter counts inside the voters' range (three-peer groups between three and five, five-peer groups between
/// three and six), changes of the voters are drawn twice as often as those of the learners alone, a new
/// leader is often asked for a change at once, and a leader that has just appended a change is often cut off or
/// crashed before the change leaves it, with the network split again when the next leader appends its own.
/// </remarks>
internal sealed record MembershipPlan
{
    /// <summary>Chance that a scheduled fault action also proposes a membership change at the leader.</summary>
    public double ChangeRate { get; init; }

    /// <summary>Chance that a scheduled fault action also starts a leadership transfer.</summary>
    public double TransferRate { get; init; }

    /// <summary>Chance that a proposed change is followed at once by another (a correct leader refuses it while the
    /// first is uncommitted).</summary>
    public double SecondChange { get; init; }

    /// <summary>Chance that a newly elected leader is asked for a change at its first write, and again every
    /// moment until it accepts one (a correct leader refuses until it has committed an entry of its term).</summary>
    public double ChangeOnElection { get; init; }

    /// <summary>Chance that a leader appending a membership change is cut off with a random few of the others at
    /// once (what it sent is lost on the cut links), or crashes before the write lands; and that a new leader asked for
    /// a change at once (<see cref="ChangeOnElection"/>) is cut off so as it starts, its no-op reaching only its side.</summary>
    public double CutAfterChange { get; init; }

    /// <summary>Chance that a scheduled fault action starts an interrupted-change episode (see
    /// <c>Nemesis.InterruptedChange.cs</c>): a change cut off on its leader, the next leader changing at once, the
    /// group split in two halves as it starts.</summary>
    public double InterruptedChange { get; init; }

    /// <summary>Chance that a transfer is disturbed moments after it starts: the leader or the target crashes or is
    /// cut off.</summary>
    public double DisturbTransfer { get; init; }

    /// <summary>A removed peer keeps running (perhaps without ever learning of its removal, sending stale messages)
    /// for up to this long after its removal commits, then is shut down for good; at the calm at the latest.</summary>
    public long RemovedLifetime { get; init; }

    /// <summary>Removed peers are never shut down: they run to the end, through the calm and the settling, when the
    /// group must converge around them.</summary>
    public bool KeepRemoved { get; init; }

    /// <summary>Changes keep the voters within [<see cref="MinVoters"/>, <see cref="MaxVoters"/>] and the learners
    /// at most <see cref="MaxLearners"/> (as the leader that proposes them sees the configuration).</summary>
    public int MinVoters { get; init; }

    public int MaxVoters { get; init; }

    public int MaxLearners { get; init; }

    /// <summary>Draws the plan of a run of <paramref name="nodes"/> bootstrap voters from <paramref name="random"/>.</summary>
    public static MembershipPlan Draw(int nodes, Random random) => new()
    {
        ChangeRate = 0.1 + random.NextDouble() * 0.5,
        TransferRate = random.Next(4) == 0 ? 0 : 0.1 + random.NextDouble() * 0.3,
        SecondChange = random.Next(2) == 0 ? 0 : random.NextDouble() * 0.5,
        ChangeOnElection = random.Next(4) == 0 ? 0 : 0.4 + random.NextDouble() * 0.6,
        CutAfterChange = random.Next(4) == 0 ? 0 : 0.2 + random.NextDouble() * 0.5,
        DisturbTransfer = random.NextDouble() * 0.5,
        InterruptedChange = random.Next(4) == 0 ? 0 : 0.2 + random.NextDouble() * 0.5,
        RemovedLifetime = VirtualTime.Ms(random.Next(2) == 0 ? random.Next(1, 100) : random.Next(100, 5000)),
        // Even counts inside the range, where a removal and a promotion are both possible: three-peer groups wander
        // over 3..5, five-peer ones over 3..6.
        MinVoters = 3,
        MaxVoters = Math.Max(5, nodes + 1),
        MaxLearners = random.Next(1, 3),
        // Drawn last, so that the fields above stay what they were for every seed.
        KeepRemoved = random.Next(3) == 0,
    };

    public override string ToString() =>
        $"changes {ChangeRate:P0} of actions (a second at once {SecondChange:P0}, at a new leader {ChangeOnElection:P0}, " +
        $"leader cut off after appending one {CutAfterChange:P0}, interrupted-change episodes {InterruptedChange:P0}), transfers {TransferRate:P0} (disturbed {DisturbTransfer:P0}), " +
        $"voters {MinVoters}..{MaxVoters}, learners up to {MaxLearners}, removed peers run {(KeepRemoved ? "to the end" : $"up to {VirtualTime.Format(RemovedLifetime)}")}";
}
