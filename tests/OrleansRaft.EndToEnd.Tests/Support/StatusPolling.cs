namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>Runs <c>client status</c> until the group looks the way a test needs it.</summary>
internal static class StatusPolling
{
    /// <summary>Until every peer answers, one of them leads and all agree on it (an election may be in flight
    /// right after a start or a failure).</summary>
    public static Task<StatusReport> UntilSettledAsync(int peers, ClusterProcess cluster) =>
        Deadline.RetryAsync<StatusReport>("status: all peers answer and agree on one leader", TimeSpan.FromSeconds(60), async () =>
        {
            var result = await CliRunner.RunAsync("status");
            if (!result.Succeeded) return (null, result.ToString());
            var status = StatusReport.Parse(result.StdoutLines);
            return status.IsSettled(peers) ? (status, "") : (null, result.ToString() + Environment.NewLine + cluster.Log.Tail(15));
        });

    /// <summary>Until the peers that answer agree on exactly one leader: after a silo was killed, its peer may
    /// not answer until Orleans reactivates it elsewhere.</summary>
    public static Task<StatusReport> UntilOneLeaderAsync(ClusterProcess cluster) =>
        Deadline.RetryAsync<StatusReport>("status: one leader among the peers that answer", TimeSpan.FromSeconds(60), async () =>
        {
            var result = await CliRunner.RunAsync("status");
            if (!result.Succeeded) return (null, result.ToString());
            var status = StatusReport.Parse(result.StdoutLines);
            var answered = status.Peers.Where(p => p.Role != "unreachable").ToArray();
            return status.Leaders.Count == 1 && answered.All(p => p.Leader == status.Leaders[0].Peer)
                ? (status, "")
                : (null, result.ToString());
        });
}
