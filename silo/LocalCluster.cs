using OrleansRaft.Client;
using OrleansRaft.Hosting;

namespace OrleansRaft.Silo;

/// <summary>
/// <c>silo cluster</c>: starts one child process per silo (node0 .. node{K-1} on 127.0.0.1, each with its own data
/// directory under the root, one shared membership file in the root), streams their logs with a <c>[nodeN]</c>
/// prefix, announces when the Raft group has a leader, and stops every child on Ctrl+C or SIGTERM. A child that dies
/// is reported, not replaced: the others keep serving, which is the point of running several. Once no child is left
/// the launcher exits with code 1, naming why each one ended.
/// </summary>
internal static class LocalCluster
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(SiloArguments args, CancellationToken stop)
    {
        var root = Path.GetFullPath(args.DataDirectory);
        Directory.CreateDirectory(root);
        var marker = new BootstrapMarker(root);
        var bootstrap = !marker.Exists;
        NoteOlderLayout(root);
        await RetireDeadIncarnationsAsync(args, root, stop);
        var children = new List<ClusterChild>();
        using var allGone = new CancellationTokenSource();
        var stopping = false;
        try
        {
            for (var i = 0; i < args.Silos; i++) children.Add(ClusterChild.Start(args, i, bootstrap));
            Console.WriteLine($"[cluster] started {args.Silos} silos (pids {string.Join(", ", children.Select(c => c.Pid))}); data in {root}; " +
                (bootstrap
                    ? $"first start: bootstrapping group '{OrleansRaftDefaults.Group}' on {string.Join(",", args.Nodes)}"
                    : $"group '{OrleansRaftDefaults.Group}' was bootstrapped before ({marker.Path})"));
            var watchers = children.Select(c => ReportExitAsync(c, children, args, marker, () => stopping || stop.IsCancellationRequested, allGone)).ToArray();
            using var running = CancellationTokenSource.CreateLinkedTokenSource(stop, allGone.Token);
            try
            {
                var gateways = Enumerable.Range(0, args.Silos).Select(i => GatewayAddress.Loopback(SiloArguments.BaseGatewayPort + i)).ToArray();
                try
                {
                    var webUrls = args.MetricsPort == 0 ? [] : Enumerable.Range(0, args.Silos).Select(i => $"http://127.0.0.1:{args.MetricsPort + i}").ToArray();
                    await GroupWatch.RunAsync(gateways, marker, args.Nodes, webUrls, running.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The silos serve whether or not the launcher can watch them.
                    Console.WriteLine($"[cluster] stopped watching the group: {e.GetType().Name}: {SiloHost.OneLine(e.Message)}");
                }
                await Task.Delay(Timeout.Infinite, running.Token);
            }
            catch (OperationCanceledException) when (running.IsCancellationRequested)
            {
            }
            if (stop.IsCancellationRequested) return 0;
            await Task.WhenAll(watchers);
            return 1;
        }
        finally
        {
            stopping = true;
            await StopChildrenAsync(children);
        }
    }

    /// <summary>Reports the exit of <paramref name="child"/> (unless the launcher is stopping them all) with the command
    /// that restarts it; when it was the last one running, says why each ended and cancels <paramref name="allGone"/>.</summary>
    private static async Task ReportExitAsync(ClusterChild child, List<ClusterChild> children, SiloArguments args, BootstrapMarker marker,
        Func<bool> stopping, CancellationTokenSource allGone)
    {
        await child.Exited;
        if (stopping()) return;
        lock (children)
        {
            if (allGone.IsCancellationRequested) return;
            if (children.Any(c => !c.HasExited))
            {
                Console.WriteLine($"[cluster] {child.Node} exited with {child.ExitDescription()}; the others keep serving. Restart it with:");
                Console.WriteLine($"[cluster]   dotnet run --project silo -- {string.Join(' ', args.ForChild(child.Index, bootstrap: !marker.Exists).Select(Quote))}");
                return;
            }
            Console.WriteLine($"[cluster] {child.Node} exited with {child.ExitDescription()}");
            Console.Error.WriteLine($"[cluster] no silo is left running: {string.Join("; ", children.Select(c => $"{c.Node} exited with {c.ExitDescription()}"))}");
            allGone.Cancel();
        }
    }

    private static string Quote(string text) => text.Contains(' ') || text.Contains(';') ? $"\"{text}\"" : text;

    /// <summary>Before nodes had their own directories, each peer had a file raft-peer-N.db in the root.</summary>
    private static void NoteOlderLayout(string root)
    {
        var old = Directory.GetFiles(root, "raft-peer-*.db");
        if (old.Length == 0) return;
        Console.WriteLine($"[cluster] note: {string.Join(", ", old.Select(Path.GetFileName).Order())} in {root} are the storage of an older version " +
            "(one file per peer) and are not read: each node now keeps its peers in its own directory (node0/raft.db, ...). Delete them when you no longer need them.");
    }

    /// <summary>See <see cref="StaleMembership"/>. Only when none of the silo ports is in use: then every row that
    /// still calls them alive is a dead incarnation.</summary>
    private static async Task RetireDeadIncarnationsAsync(SiloArguments args, string root, CancellationToken stop)
    {
        if (args.Clustering != Backend.Sqlite) return;
        var ports = Enumerable.Range(0, args.Silos).Select(i => SiloArguments.BaseSiloPort + i).ToArray();
        foreach (var port in ports)
            if (await PortCheck.IsListeningAsync(System.Net.IPAddress.Loopback, port, stop)) return;
        var retired = StaleMembership.Retire(OrleansRaftStorageExtensions.SqliteMembershipFile(root), OrleansRaftDefaults.ClusterId, "127.0.0.1", ports);
        if (retired > 0) Console.WriteLine($"[cluster] {retired} membership row(s) of silos that died without stopping retired");
    }

    private static async Task StopChildrenAsync(List<ClusterChild> children)
    {
        foreach (var child in children.Where(c => !c.HasExited)) child.Terminate();
        using var grace = new CancellationTokenSource(StopGrace);
        foreach (var child in children)
        {
            try
            {
                await child.Exited.WaitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                child.Kill();
            }
        }
        Console.WriteLine("[cluster] all silos stopped");
    }
}
