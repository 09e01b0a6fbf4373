namespace OrleansRaft.Kv;

/// <summary>Documented limits of the KV service, checked at the boundary before anything is proposed.</summary>
public static class KvLimits
{
    /// <summary>Largest key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>Default largest value, in UTF-8 bytes (configurable per group).</summary>
    public const int DefaultMaxValueBytes = 64 * 1024;
}
