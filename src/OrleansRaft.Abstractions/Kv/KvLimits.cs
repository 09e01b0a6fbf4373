namespace OrleansRaft.Kv;

/// <summary>Documented limits of the KV service, checked at the boundary before anything is proposed.</summary>
public static class KvLimits
{
    /// <summary>Largest key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>Default largest value, in UTF-8 bytes (configurable per group).</summary>
    public const int DefaultMaxValueBytes = 64 * 1024;

    /// <summary>Writes one client may have unanswered at once (sequence numbers above its lowest unanswered one).</summary>
    public const int MaxWritesInFlightPerClient = 256;

    /// <summary>A client session with no write for this many log entries is forgotten, by the same rule on
    /// every replica (configurable per group).</summary>
    public const long DefaultSessionExpiryEntries = 1_000_000;
}
