using OrleansRaft.Core.Membership;

namespace OrleansRaft.Core;

/// <summary>
/// The state machine's state after applying every entry up to <paramref name="Index"/> (thesis §5.1): it stands in
/// for that prefix of the log, which can then be discarded.
/// </summary>
/// <param name="Index">Last log index the snapshot covers.</param>
/// <param name="Term">Term of the entry at <paramref name="Index"/>, so that the log after it can still be
/// checked for consistency (§5.3).</param>
/// <param name="Data">The state machine's own encoding of its state; opaque to Raft.</param>
/// <param name="Configuration">The configuration in force at <paramref name="Index"/> (the latest one the covered
/// prefix of the log holds), so that discarding that prefix loses no membership. Null only in snapshots written
/// before membership changes existed: the group's bootstrap configuration was in force then.</param>
public sealed record Snapshot(long Index, long Term, byte[] Data, Configuration? Configuration = null)
{
    public override string ToString() => $"Snapshot(index {Index}, term {Term}, {Data.Length} bytes)";
}
