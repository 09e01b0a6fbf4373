namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>Runs <c>client status</c> until the group looks the way a test needs it.</summary>
internal static class StatusPolling
{
    /// <summary>Until every peer answers, one of them leads and all agree on it (an election may be in flight
    /// right after a start or a failure).</summary>
    public static Task<StatusReport> UntilSettledAsync(int peers, ClusterProcess cluster) => UntilSettledAsync(peers, cluster.Log, CliTarget.Local);

    /// <inheritdoc cref="UntilSettledAsync(int, ClusterProcess)"/>
    public static Task<StatusReport> UntilSettledAsync(int peers, OutputLog log, CliTarget cli) =>
        UntilAsync("status: all peers answer and agree on one leader", log, cli, status => status.IsSettled(peers));

    /// <summary>Until the peers that answer agree on exactly one leader: after a silo was killed, its peer does
    /// not answer until its node's silo is back.</summary>
    public static Task<StatusReport> UntilOneLeaderAsync(ClusterProcess cluster) => UntilOneLeaderAsync(cluster.Log, CliTarget.Local);

    /// <inheritdoc cref="UntilOneLeaderAsync(ClusterProcess)"/>
    public static Task<StatusReport> UntilOneLeaderAsync(OutputLog log, CliTarget cli) =>
        UntilAsync("status: one leader among the peers that answer", log, cli, status =>
        {
            var answered = status.Peers.Where(p => p.Role != "unreachable").ToArray();
            return status.Leaders.Count == 1 && answered.All(p => p.Leader == status.Leaders[0].Peer);
        });

    /// <summary>Until <paramref name="holds"/> holds for a status that succeeded (exit 0: at least one peer answered).</summary>
    public static Task<StatusReport> UntilAsync(string what, OutputLog log, CliTarget cli, Func<StatusReport, bool> holds) =>
        Deadline.RetryAsync<StatusReport>(what, TimeSpan.FromSeconds(60), async () =>
        {
            var result = await cli.RunAsync("status");
            if (!result.Succeeded) return (null, result.ToString());
            var status = StatusReport.Parse(result.StdoutLines);
            return holds(status) ? (status, "") : (null, result.ToString() + Environment.NewLine + log.Tail(15));
        });
}
