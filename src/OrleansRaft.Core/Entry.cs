namespace OrleansRaft.Core;

/// <summary>What a log entry carries.</summary>
public enum EntryType : byte
{
    /// <summary>A command proposed by a client, applied to the state machine.</summary>
    Normal = 0,

    /// <summary>The empty entry a new leader appends so that it can commit entries of earlier terms (§5.4.2, §8).</summary>
    NoOp = 1,

    /// <summary>A membership change (<see cref="Membership.ConfigChange"/>) and the configuration it results in
    /// (<see cref="Membership.ConfigChangeCodec"/>). It takes effect when appended, not when applied: see
    /// <see cref="Membership.ConfigChange"/> for why. The state machine skips it.</summary>
    ConfigChange = 2,
}

/// <summary>One entry of the replicated log.</summary>
/// <remarks>Invariant (Log Matching, §5.3): two logs that hold an entry with the same index and term
/// hold the same entries up to that index.</remarks>
public sealed record Entry(long Index, long Term, EntryType Type, byte[] Data)
{
    /// <summary>Bytes this entry counts for in message and flow-control budgets.</summary>
    public int Size => Data.Length + 24;

    public static Entry NoOp(long index, long term) => new(index, term, EntryType.NoOp, []);
}
