using Microsoft.Extensions.Options;

namespace OrleansRaft.Client;

/// <summary>How a <see cref="RaftKvClient"/> retries and bounds its requests.</summary>
public sealed class RaftKvClientOptions
{
    public const int DefaultOperationTimeoutSeconds = 10;
    public const int DefaultMaxWritesInFlight = 128;

    /// <summary>Total time one operation may take, retries included. The facade grain already follows leader
    /// redirects; this client retries only what the grain could not (a lost silo, no leader yet, a busy group).</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(DefaultOperationTimeoutSeconds);

    /// <summary>First pause between attempts; it doubles up to <see cref="RetryBackoffMax"/>.</summary>
    public TimeSpan RetryBackoffInitial { get; set; } = TimeSpan.FromMilliseconds(25);

    public TimeSpan RetryBackoffMax { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Writes of one client session allowed in flight at once. The server remembers the results of a
    /// bounded window of recent writes per session (256 today); keeping well under it means a slow write's
    /// retry still finds its own result instead of falling out of the window.</summary>
    public int MaxWritesInFlight { get; set; } = DefaultMaxWritesInFlight;
}

internal sealed class RaftKvClientOptionsValidator : IValidateOptions<RaftKvClientOptions>
{
    public ValidateOptionsResult Validate(string? name, RaftKvClientOptions options)
    {
        var failures = new List<string>();
        if (options.OperationTimeout <= TimeSpan.Zero)
            failures.Add($"{nameof(RaftKvClientOptions.OperationTimeout)} must be positive.");
        if (options.RetryBackoffInitial < TimeSpan.Zero)
            failures.Add($"{nameof(RaftKvClientOptions.RetryBackoffInitial)} must not be negative.");
        if (options.RetryBackoffMax < options.RetryBackoffInitial)
            failures.Add($"{nameof(RaftKvClientOptions.RetryBackoffMax)} must be at least {nameof(RaftKvClientOptions.RetryBackoffInitial)}.");
        if (options.MaxWritesInFlight < 1)
            failures.Add($"{nameof(RaftKvClientOptions.MaxWritesInFlight)} must be at least 1.");
        if (options.MaxWritesInFlight > Kv.KvLimits.MaxWritesInFlightPerClient)
            failures.Add($"{nameof(RaftKvClientOptions.MaxWritesInFlight)} must be at most {Kv.KvLimits.MaxWritesInFlightPerClient} (KvLimits.MaxWritesInFlightPerClient), the group's limit.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
