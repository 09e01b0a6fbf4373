using Microsoft.Extensions.Options;

namespace OrleansRaft.Hosting;

/// <summary>Rejects group settings that cannot work, naming the option at fault.</summary>
internal sealed class RaftGroupOptionsValidator : IValidateOptions<RaftGroupOptions>
{
    public const int MaxPeers = 15;

    /// <summary>Chunks travel as one storage row and one peer message each: keep them well under a megabyte.</summary>
    public const int MaxSnapshotChunkBytes = 1024 * 1024;
    private const int KvSessionsSweep = Grains.Kv.KvSessions.SweepEvery;

    public ValidateOptionsResult Validate(string? name, RaftGroupOptions options)
    {
        var errors = new List<string>();
        var group = string.IsNullOrEmpty(name) ? "(default)" : name;
        if (!RaftGroupNames.IsValid(name)) errors.Add($"Raft group name '{name}' is invalid: {RaftGroupNames.Rule}.");
        if (options.Peers is < 1 or > MaxPeers) errors.Add($"{nameof(RaftGroupOptions.Peers)} of group '{group}' must be between 1 and {MaxPeers} (was {options.Peers}).");
        if (options.Nodes.Count > 0 && options.Nodes.Count != options.Peers)
            errors.Add($"{nameof(RaftGroupOptions.Nodes)} of group '{group}' names {options.Nodes.Count} nodes but {nameof(RaftGroupOptions.Peers)} is {options.Peers}: give one node per peer.");
        if (options.Nodes.Any(n => !RaftNodeNames.IsValid(n)))
            errors.Add($"{nameof(RaftGroupOptions.Nodes)} of group '{group}' has an invalid node name ({string.Join(", ", options.Nodes.Where(n => !RaftNodeNames.IsValid(n)).Select(n => $"'{n}'"))}): {RaftNodeNames.Rule}.");
        if (options.Nodes.Distinct(StringComparer.Ordinal).Count() != options.Nodes.Count)
            errors.Add($"{nameof(RaftGroupOptions.Nodes)} of group '{group}' names a node twice ({string.Join(", ", options.Nodes)}): two peers of one group on one node would fall together.");
        if (options.TickPeriod < TimeSpan.FromMilliseconds(1)) errors.Add($"{nameof(RaftGroupOptions.TickPeriod)} of group '{group}' must be at least 1 ms (was {options.TickPeriod}).");
        if (options.HeartbeatTicks < 1) errors.Add($"{nameof(RaftGroupOptions.HeartbeatTicks)} of group '{group}' must be positive (was {options.HeartbeatTicks}).");
        if (options.ElectionTicks <= options.HeartbeatTicks) errors.Add($"{nameof(RaftGroupOptions.ElectionTicks)} of group '{group}' must be greater than {nameof(RaftGroupOptions.HeartbeatTicks)} ({options.ElectionTicks} <= {options.HeartbeatTicks}).");
        if (options.QuiesceTicks < 0) errors.Add($"{nameof(RaftGroupOptions.QuiesceTicks)} of group '{group}' must be 0 (never quiesce) or positive (was {options.QuiesceTicks}).");
        if (options.QuietTickPeriod < options.TickPeriod) errors.Add($"{nameof(RaftGroupOptions.QuietTickPeriod)} of group '{group}' must be at least {nameof(RaftGroupOptions.TickPeriod)} ({options.QuietTickPeriod} < {options.TickPeriod}).");
        if (options.MaxInflightMessages < 1) errors.Add($"{nameof(RaftGroupOptions.MaxInflightMessages)} of group '{group}' must be positive.");
        if (options.MaxMessageBytes < 1) errors.Add($"{nameof(RaftGroupOptions.MaxMessageBytes)} of group '{group}' must be positive.");
        if (options.MaxValueBytes < 1) errors.Add($"{nameof(RaftGroupOptions.MaxValueBytes)} of group '{group}' must be positive.");
        if (options.MaxUncommittedBytes < options.MaxValueBytes + 4096) errors.Add($"{nameof(RaftGroupOptions.MaxUncommittedBytes)} of group '{group}' must exceed {nameof(RaftGroupOptions.MaxValueBytes)} plus overhead.");
        if (string.IsNullOrWhiteSpace(options.StorageProvider)) errors.Add($"{nameof(RaftGroupOptions.StorageProvider)} of group '{group}' must name a grain storage provider.");
        if (options.SessionExpiryEntries < 10 * KvSessionsSweep) errors.Add($"{nameof(RaftGroupOptions.SessionExpiryEntries)} of group '{group}' must be at least {10 * KvSessionsSweep} (was {options.SessionExpiryEntries}).");
        if (options.LogSegmentEntries < 1) errors.Add($"{nameof(RaftGroupOptions.LogSegmentEntries)} of group '{group}' must be positive.");
        if (options.SnapshotLogBytes < 0) errors.Add($"{nameof(RaftGroupOptions.SnapshotLogBytes)} of group '{group}' must be 0 (no snapshots) or positive (was {options.SnapshotLogBytes}).");
        if (options.SnapshotCatchUpEntries < 0) errors.Add($"{nameof(RaftGroupOptions.SnapshotCatchUpEntries)} of group '{group}' must not be negative (was {options.SnapshotCatchUpEntries}).");
        if (options.SnapshotChunkBytes is < 1024 or > MaxSnapshotChunkBytes) errors.Add($"{nameof(RaftGroupOptions.SnapshotChunkBytes)} of group '{group}' must be between 1024 and {MaxSnapshotChunkBytes} (was {options.SnapshotChunkBytes}).");
        if (options.RequestTimeout <= TimeSpan.Zero) errors.Add($"{nameof(RaftGroupOptions.RequestTimeout)} of group '{group}' must be positive.");
        if (options.PeerCallTimeout <= TimeSpan.Zero) errors.Add($"{nameof(RaftGroupOptions.PeerCallTimeout)} of group '{group}' must be positive.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
