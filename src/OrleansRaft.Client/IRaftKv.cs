using OrleansRaft.Kv;

namespace OrleansRaft.Client;

/// <summary>
/// One Raft group as a linearizable key-value store. Keys are non-empty strings of at most
/// <see cref="KvLimits.MaxKeyBytes"/> UTF-8 bytes (checked before sending: <see cref="ArgumentException"/>).
/// Failures are <see cref="RaftKvException"/>s; writes are retried through one session, so each applies at most once.
/// </summary>
public interface IRaftKv
{
    string Group { get; }

    /// <summary>The value of <paramref name="key"/>, or null when it is absent. Linearizable unless
    /// <paramref name="consistency"/> is <see cref="ReadConsistency.Stale"/>, which may miss recent writes.</summary>
    Task<string?> GetAsync(string key, ReadConsistency consistency = ReadConsistency.Linearizable, CancellationToken cancellationToken = default);

    Task SetAsync(string key, string value, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="key"/>; true when it existed.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> only if its current value is
    /// <paramref name="expected"/>; a null <paramref name="expected"/> means "only if absent".</summary>
    Task<CasResult> CompareAndSetAsync(string key, string? expected, string value, CancellationToken cancellationToken = default);

    /// <summary>Appends <paramref name="value"/> to the current value (an absent key counts as empty).</summary>
    Task AppendAsync(string key, string value, CancellationToken cancellationToken = default);

    /// <summary>Every peer's view of the group, in peer order; peers that did not answer have a null entry and an error.</summary>
    Task<PeerStatusList> StatusAsync(CancellationToken cancellationToken = default);
}

/// <summary>The answer to a compare-and-set. <see cref="Current"/> is the value that prevented the swap
/// (null: absent); after a swap it is the new value.</summary>
public readonly record struct CasResult(bool Swapped, string? Current);
