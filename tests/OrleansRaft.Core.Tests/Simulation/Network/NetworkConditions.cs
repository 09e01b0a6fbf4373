using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Simulation.Infrastructure;

namespace OrleansRaft.Core.Tests.Simulation.Network;

/// <summary>How the network treats each message: loss, duplication, and a delay drawn per copy. A link is FIFO,
/// like the connection between two silos, except for a share of messages that take their own time (reordered)
/// and for stragglers held back much longer.</summary>
internal sealed record NetworkConditions
{
    public double DropRate { get; init; }

    public double DuplicateRate { get; init; }

    /// <summary>Share of messages that ignore their link's order: they arrive after their own delay, possibly
    /// before messages sent earlier. 1 makes every message independent (the MIT lab's network).</summary>
    public double ReorderRate { get; init; }

    public long MinDelay { get; init; } = 100 * VirtualTime.Microsecond;

    public long MaxDelay { get; init; } = 2 * VirtualTime.Millisecond;

    /// <summary>Share of copies delayed between <see cref="LongDelayMin"/> and <see cref="LongDelayMax"/> instead.</summary>
    public double LongDelayRate { get; init; }

    /// <summary>Lower bound of a long delay; <see cref="MaxDelay"/> when not set.</summary>
    public long? LongDelayMin { get; init; }

    public long LongDelayMax { get; init; } = 200 * VirtualTime.Millisecond;

    /// <summary>Hold back only replies (the MIT lab's "long reordering" delays RPC replies).</summary>
    public bool LongDelayRepliesOnly { get; init; }

    public static readonly NetworkConditions Reliable = new();

    public long DrawDelay(Random random, RaftMessage? message = null)
    {
        if (LongDelayRate > 0 && (!LongDelayRepliesOnly || message is AppendEntriesReply or RequestVoteReply or HeartbeatReply)
            && random.NextDouble() < LongDelayRate)
        {
            var min = LongDelayMin ?? MaxDelay;
            return min + (long)(random.NextDouble() * (LongDelayMax - min));
        }
        return MinDelay + (long)(random.NextDouble() * (MaxDelay - MinDelay));
    }

    public override string ToString() =>
        $"drop {DropRate:P0}, dup {DuplicateRate:P0}, reorder {ReorderRate:P0}, delay {VirtualTime.Format(MinDelay)}..{VirtualTime.Format(MaxDelay)}" +
        (LongDelayRate > 0 ? $", {LongDelayRate:P0} up to {VirtualTime.Format(LongDelayMax)}" : "");
}
