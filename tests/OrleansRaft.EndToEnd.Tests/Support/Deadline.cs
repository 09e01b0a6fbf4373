namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>
/// Waiting on conditions instead of sleeping: the deadlines are generous because two shared cores run three
/// silos, the CLI and the test host at once, but a condition that holds early ends the wait early.
/// </summary>
internal static class Deadline
{
    /// <summary>From starting the launcher to its <c>[cluster] ready</c> line.</summary>
    public static readonly TimeSpan ClusterReady = TimeSpan.FromSeconds(120);

    /// <summary>From SIGINT to the launcher having stopped every silo and exited.</summary>
    public static readonly TimeSpan ClusterStop = TimeSpan.FromSeconds(60);

    /// <summary>For the group to serve writes again after its leader's silo was killed.</summary>
    public static readonly TimeSpan Failover = TimeSpan.FromSeconds(90);

    /// <summary>Hard limit for one CLI process, whatever its own --timeout says.</summary>
    public static readonly TimeSpan CliProcess = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Calls <paramref name="attempt"/> until it returns a result or <paramref name="limit"/> passes, then throws
    /// with the failure the last attempt reported. Each attempt here starts a CLI process, which paces the loop.
    /// </summary>
    public static async Task<T> RetryAsync<T>(string what, TimeSpan limit, Func<Task<(T? Result, string Failure)>> attempt)
        where T : class
    {
        var until = DateTime.UtcNow + limit;
        var attempts = 0;
        while (true)
        {
            attempts++;
            var (result, failure) = await attempt();
            if (result is not null) return result;
            if (DateTime.UtcNow >= until)
                throw new TimeoutException($"{what}: not done after {limit.TotalSeconds:0} s and {attempts} attempts; last attempt: {failure}");
        }
    }
}
