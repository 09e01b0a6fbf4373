using OrleansRaft.Core.Tests.Simulation.Infrastructure;

namespace OrleansRaft.Core.Tests.Simulation.Faults;

/// <summary>
/// One run's quiescence: the peers' <see cref="RaftConfig.QuiesceTicks"/>, lulls in which every client holds off so
/// that the group goes quiet (faults go on meanwhile), and the delay after which the surviving peers' hosts learn that a
/// peer's host crashed or came back (Orleans' membership change), which wakes them. Without that wake-up, followers that
/// went quiet under a leader that then crashed would never campaign; with it, a dead leader is replaced.
/// </summary>
internal sealed record QuiescePlan
{
    public required int QuiesceTicks { get; init; }

    /// <summary>Quiet spells, in virtual time, ascending and disjoint: no client issues a new operation within one.</summary>
    public required IReadOnlyList<(long Start, long End)> Lulls { get; init; }

    /// <summary>How long after a crash or restart the other peers are woken.</summary>
    public required long MembershipDelay { get; init; }

    /// <summary>Chance that a leader that just quiesced the group is cut off from every peer (clients still reach it) and
    /// its host declared dead, so the others wake and elect a leader while it sits quiet: the episode that a quiet
    /// leader serving reads from memory would get wrong.</summary>
    public double IsolateQuietLeader { get; init; }

    /// <summary>When a client that wants to issue an operation at <paramref name="now"/> may do so (now, outside lulls).</summary>
    public long HoldUntil(long now)
    {
        foreach (var (start, end) in Lulls)
            if (now >= start && now < end) return end;
        return now;
    }

    /// <summary>Draws the plan from a source of its own, so that runs that draw no quiescence stay what they were.</summary>
    public static QuiescePlan Draw(int ticks, int calmTicks, int electionTicks, Random random)
    {
        var quiesce = random.Next(1, 2 * electionTicks);
        var lulls = new List<(long, long)>();
        // Lulls until the calm; the calm itself ends with the clients stopped, which is one long lull.
        var at = (long)random.Next(20, 150) * VirtualTime.Tick;
        var lastStart = (long)(ticks - calmTicks) * VirtualTime.Tick;
        while (at < lastStart)
        {
            var length = (long)(quiesce + random.Next(electionTicks, 8 * electionTicks)) * VirtualTime.Tick;
            lulls.Add((at, at + length));
            at += length + (long)random.Next(10, 150) * VirtualTime.Tick;
        }
        return new QuiescePlan
        {
            QuiesceTicks = quiesce,
            Lulls = lulls,
            MembershipDelay = (long)random.Next(1, 4 * electionTicks) * VirtualTime.Tick,
            IsolateQuietLeader = random.NextDouble() * 0.5,
        };
    }

    public override string ToString() =>
        $"quiesce after {QuiesceTicks} ticks, {Lulls.Count} lulls, membership changes seen after {VirtualTime.Format(MembershipDelay)}, " +
        $"quiet leader isolated {IsolateQuietLeader:P0}";
}
