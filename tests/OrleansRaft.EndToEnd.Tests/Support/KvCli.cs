using System.Text;

namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>KV steps the failure and durability scenarios share, each through the real CLI.</summary>
internal static class KvCli
{
    /// <summary>
    /// Retries <c>set KEY VALUE</c> while the CLI answers "unavailable or timeout" (exit 3), as a script would
    /// during a failover, and returns once it is acknowledged. Any other failure ends the test at once.
    /// </summary>
    public static Task<CliResult> SetUntilAcknowledgedAsync(string key, string value, TimeSpan limit, ClusterProcess cluster) =>
        Deadline.RetryAsync<CliResult>($"set {key} until acknowledged", limit, async () =>
        {
            var result = await CliRunner.RunAsync("--timeout", "5", "set", key, value);
            if (result.Succeeded)
            {
                CliAssert.Prints(result, 0, "OK");
                return (result, "");
            }
            // Anything but "unavailable or timeout, retry" fails the test here.
            CliAssert.FailsWith(result, CliResult.Unavailable, "^error: (unavailable|timeout): ");
            return (null, result + Environment.NewLine + cluster.Log.Tail(15));
        });

    /// <summary>Writes every pair in one shell session and checks each was acknowledged.</summary>
    public static async Task SetAllAsync(IReadOnlyDictionary<string, string> pairs)
    {
        var script = new StringBuilder();
        foreach (var (key, value) in pairs) script.Append("SET ").Append(key).Append(' ').Append(value).Append('\n');
        CliAssert.Prints(await CliRunner.RunAsync(["shell"], script.ToString()), 0, pairs.Select(_ => "OK").ToArray());
    }

    /// <summary>Reads every key in one shell session (linearizable reads) and checks each has its value.</summary>
    public static async Task AssertAllReadableAsync(IReadOnlyDictionary<string, string> pairs)
    {
        var script = new StringBuilder();
        foreach (var key in pairs.Keys) script.Append("GET ").Append(key).Append('\n');
        CliAssert.Prints(await CliRunner.RunAsync(["shell"], script.ToString()), 0, pairs.Values.Select(v => $"VALUE {v}").ToArray());
    }
}
