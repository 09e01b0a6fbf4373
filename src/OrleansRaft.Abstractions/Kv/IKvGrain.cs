namespace OrleansRaft.Kv;

/// <summary>
/// The key-value facade of one Raft group (grain key: the group name). It finds the leader, follows
/// redirects and retries within a deadline, so callers see one linearizable store. Writes return once
/// committed and applied; a retried write with the same <see cref="RequestId"/> is applied once.
/// </summary>
[Alias("OrleansRaft.IKvGrain")]
public interface IKvGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<KvResponse> Get(string key, ReadConsistency consistency = ReadConsistency.Linearizable, CancellationToken cancellationToken = default);

    [Alias("Set")]
    Task<KvResponse> Set(string key, string value, RequestId? requestId = null, CancellationToken cancellationToken = default);

    [Alias("Delete")]
    Task<KvResponse> Delete(string key, RequestId? requestId = null, CancellationToken cancellationToken = default);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> only if its current value is
    /// <paramref name="expected"/> (null: only if absent). Answers Swapped or NotSwapped with the current value.</summary>
    [Alias("CompareAndSet")]
    Task<KvResponse> CompareAndSet(string key, string? expected, string value, RequestId? requestId = null, CancellationToken cancellationToken = default);

    /// <summary>Appends <paramref name="value"/> to the current value (absent counts as empty).</summary>
    [Alias("Append")]
    Task<KvResponse> Append(string key, string value, RequestId? requestId = null, CancellationToken cancellationToken = default);

    /// <summary>Every peer's status, in peer order; unreachable peers are reported as such.</summary>
    [Alias("Status")]
    Task<PeerStatusList> Status(CancellationToken cancellationToken = default);
}
