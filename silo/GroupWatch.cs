using OrleansRaft.Client;
using OrleansRaft.Hosting;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Silo;

/// <summary>
/// The launcher's view of the group: asks for its status until it is ready and says so in one line (<c>[cluster]
/// ready: ...</c>), and writes the <see cref="BootstrapMarker"/> the first time every peer answers. A group that has a
/// leader but a peer that does not come up (a node that refuses to start, say) is announced as ready after
/// <see cref="DownGrace"/>, naming the peer that is down and why.
/// </summary>
internal static class GroupWatch
{
    public static readonly TimeSpan ReadyDeadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan DownGrace = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PollWhileStarting = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PollAfterwards = TimeSpan.FromSeconds(2);

    /// <summary>Returns once the group was announced (ready or not) and the marker exists; runs until cancelled otherwise.</summary>
    public static async Task RunAsync(IReadOnlyList<GatewayAddress> gateways, BootstrapMarker marker, IReadOnlyList<string> nodes, IReadOnlyList<string> webUrls, CancellationToken stop)
    {
        await using var connection = await ConnectAsync(gateways, stop);
        if (connection is null) return;
        var started = DateTime.UtcNow;
        DateTime? leaderSince = null;
        var announced = false;
        PeerStatusList? last = null;
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            try
            {
                // Asked for anew each time: right after connecting, the client's view of the cluster may not list
                // the group's grain types yet (GetGrain throws until it does).
                last = await connection.Kv.Group().StatusAsync(stop);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                // Silos still joining: keep asking.
            }
            var leader = last?.Peers.FirstOrDefault(p => p?.Role == "Leader");
            if (leader is not null && last!.Peers.All(p => p is not null))
            {
                if (!announced) AnnounceReady(last, leader, gateways, webUrls);
                if (!marker.Exists) marker.Write(OrleansRaftDefaults.Group, nodes);
                return;
            }
            var now = DateTime.UtcNow;
            if (leader is null) leaderSince = null;
            else leaderSince ??= now;
            if (!announced && leader is not null && now - leaderSince >= DownGrace)
            {
                AnnounceReady(last!, leader, gateways, webUrls);
                announced = true;
            }
            else if (!announced && now - started >= ReadyDeadline)
            {
                Console.WriteLine($"[cluster] no leader after {ReadyDeadline.TotalSeconds:0} s; the silos keep running, see their logs above{Problems(last)}");
                announced = true;
            }
            if (announced && marker.Exists) return;
            await Task.Delay(announced ? PollAfterwards : PollWhileStarting, stop);
        }
    }

    private static async Task<RaftClusterConnection?> ConnectAsync(IReadOnlyList<GatewayAddress> gateways, CancellationToken stop)
    {
        try
        {
            return await RaftClusterConnection.ConnectAsync(gateways, ReadyDeadline, cancellationToken: stop);
        }
        catch (RaftKvUnavailableException e)
        {
            Console.WriteLine($"[cluster] no leader after {ReadyDeadline.TotalSeconds:0} s: {e.Message}; the silos keep running, see their logs above");
            return null;
        }
    }

    private static void AnnounceReady(PeerStatusList status, PeerStatus leader, IReadOnlyList<GatewayAddress> gateways, IReadOnlyList<string> webUrls)
    {
        var down = status.Peers.Select((p, i) => (p, i)).Where(x => x.p is null).Select(x => $"{status.Group}/{x.i}").ToArray();
        Console.WriteLine($"[cluster] ready: group '{status.Group}' leader {leader.Peer} (term {leader.Term}); gateways {string.Join(",", gateways)}" +
            (down.Length == 0 ? "" : $"; down: {string.Join(", ", down)}"));
        for (var i = 0; i < status.Peers.Length; i++)
        {
            if (status.Peers[i] is null)
                Console.WriteLine($"[cluster] peer {status.Group}/{i} is down: {Error(status, i)}");
        }
        for (var i = 0; i < webUrls.Count; i++)
            Console.WriteLine($"[cluster] {RaftGroupOptions.DefaultNodeName(i)}: live view {webUrls[i]}/  metrics {webUrls[i]}/metrics  ready {webUrls[i]}/health/ready");
        Console.WriteLine("[cluster] try: dotnet run --project client -- set hello world   (Ctrl+C here stops all silos)");
    }

    private static string Problems(PeerStatusList? status)
    {
        if (status is null) return "";
        var problems = Enumerable.Range(0, status.Peers.Length).Where(i => status.Peers[i] is null).Select(i => $"{status.Group}/{i}: {Error(status, i)}").ToArray();
        return problems.Length == 0 ? "" : $" ({string.Join("; ", problems)})";
    }

    private static string Error(PeerStatusList status, int i) =>
        i < status.Errors.Length && !string.IsNullOrWhiteSpace(status.Errors[i]) ? SiloHost.OneLine(status.Errors[i]!) : "no answer";
}
