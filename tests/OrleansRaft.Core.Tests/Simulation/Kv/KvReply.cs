using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.Core.Tests.Simulation.Kv;

internal enum KvReplyStatus : byte
{
    Ok,

    /// <summary>The peer is not the leader (or stopped being it before the read was confirmed).</summary>
    NotLeader,

    /// <summary>Another entry took the proposal's index: it will never apply from there. Retry.</summary>
    Lost,

    /// <summary>The leader refused the proposal for flow control. Retry later.</summary>
    Busy,
}

/// <summary>What a simulated server answers a client.</summary>
internal readonly record struct KvReply(KvReplyStatus Status, KvOutput Output, string? LeaderHint)
{
    public static KvReply Ok(KvOutput output) => new(KvReplyStatus.Ok, output, null);

    public static KvReply Rejected(KvReplyStatus status, string? leaderHint) => new(status, default, leaderHint);
}
