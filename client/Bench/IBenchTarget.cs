namespace OrleansRaft.Cli.Bench;

/// <summary>
/// A system under test. The benchmark engine drives every target through these two small interfaces, so the
/// workload, timing and reporting code is literally the same for our cluster and for etcd.
/// </summary>
internal interface IBenchTarget : IAsyncDisposable
{
    /// <summary>Short name for tables and JSON: <c>orleansraft</c> or <c>etcd</c>.</summary>
    string Name { get; }

    /// <summary>A new logical client: for our cluster its own session, so exactly-once holds per client.</summary>
    IBenchClient CreateClient(int index);

    /// <summary>The current leader as the members see it, or null when none is known (no member answered).</summary>
    Task<LeaderView?> GetLeaderAsync(CancellationToken cancellationToken);

    /// <summary>How a failed operation is reported: a stable kind, and whether a write may have been applied.</summary>
    BenchError Classify(Exception exception);
}

/// <summary>One logical client: one operation at a time. Failures are exceptions, classified by the target.</summary>
internal interface IBenchClient
{
    Task SetAsync(string key, string value, CancellationToken cancellationToken);

    /// <summary>The value, or null when absent. Linearizable unless <paramref name="stale"/>.</summary>
    Task<string?> GetAsync(string key, bool stale, CancellationToken cancellationToken);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> if its value is <paramref name="expected"/>
    /// (null: absent). Returns whether it swapped and the value afterwards (null: absent).</summary>
    Task<(bool Swapped, string? Current)> CompareAndSetAsync(string key, string? expected, string value, CancellationToken cancellationToken);
}

/// <summary>The leader of the group: its name, its term, and its member index (which process hosts it), if known.</summary>
internal sealed record LeaderView(string Leader, long Term, int? MemberIndex);

/// <summary>A classified failure. <see cref="OutcomeUnknown"/>: a write that may or may not have been applied.</summary>
internal readonly record struct BenchError(string Kind, bool OutcomeUnknown);
