using OrleansRaft.Kv;

namespace OrleansRaft.Grains.Kv;

/// <summary>The operations the KV state machine knows.</summary>
internal enum KvOp : byte
{
    Get = 1,
    Set = 2,
    Delete = 3,
    CompareAndSet = 4,
    Append = 5,
}

/// <summary>A KV command or query as it travels through the log. <see cref="Session"/> makes a write exactly-once.</summary>
internal sealed record KvCommand(KvOp Op, string Key, string? Value = null, string? Expected = null, RequestId? Session = null)
{
    public bool IsWrite => Op != KvOp.Get;
}

/// <summary>What applying or querying a <see cref="KvCommand"/> produced.</summary>
internal readonly record struct KvResult(KvStatus Status, string? Value = null);
