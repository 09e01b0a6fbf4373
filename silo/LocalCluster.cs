using System.Diagnostics;
using System.Reflection;
using OrleansRaft.Client;

namespace OrleansRaft.Silo;

/// <summary>
/// <c>silo cluster</c>: starts one child process per silo, streams their logs with a <c>[siloN]</c> prefix,
/// announces when the Raft group has a leader, and stops every child on Ctrl+C or SIGTERM. A child that dies
/// is reported, not replaced: the others keep serving, which is the point of running several.
/// </summary>
internal static class LocalCluster
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(SiloArguments args, CancellationToken stop)
    {
        if (args.Storage == StorageKind.Sqlite) Directory.CreateDirectory(args.DataDirectory);
        var children = new List<Process>();
        var up = new List<Task>();
        try
        {
            for (var i = 0; i < args.Silos; i++) children.Add(StartChild(args, i, up));
            Console.WriteLine($"[cluster] started {args.Silos} silos (pids {string.Join(", ", children.Select(c => c.Id))}); data in {Path.GetFullPath(args.DataDirectory)}");
            var ports = Enumerable.Range(0, args.Silos).Select(i => SiloArguments.BaseGatewayPort + i).ToArray();
            await WaitForSilosUpAsync(children, up, stop);
            await AnnounceReadyAsync(ports, stop);
            await WaitForStopAsync(children, args, stop);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            await StopChildrenAsync(children);
        }
    }

    /// <summary>Starts silo <paramref name="index"/>; adds to <paramref name="up"/> a task that completes when it printed that it is up.</summary>
    private static Process StartChild(SiloArguments args, int index, List<Task> up)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Run this same program again: the apphost when we were started through it, else `dotnet this.dll`.
        var self = Environment.ProcessPath ?? "dotnet";
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var argument in args.ForChild(index)) start.ArgumentList.Add(argument);

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start silo {index}");
        var prefix = $"[silo{index}] ";
        var upLine = $"silo {index} up:"; // printed by SiloHost once the silo is active in the cluster
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        up.Add(started.Task);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith(upLine, StringComparison.Ordinal)) started.TrySetResult();
            Console.WriteLine(prefix + e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(prefix + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Waits until every silo is up (or has exited) before the first call to the group. That call activates the
    /// peers, and placement puts peer i on the i-th silo present at that moment: with a silo still joining, two
    /// peers would share a silo for as long as they stay active, and losing that silo would lose the majority.
    /// </summary>
    private static async Task WaitForSilosUpAsync(List<Process> children, List<Task> up, CancellationToken stop)
    {
        var settled = up.Select((started, i) => Task.WhenAny(started, children[i].WaitForExitAsync(stop)));
        try
        {
            await Task.WhenAll(settled).WaitAsync(ReadyDeadline, stop);
        }
        catch (TimeoutException)
        {
            Console.WriteLine($"[cluster] not every silo is up after {ReadyDeadline.TotalSeconds:0} s; going on with those that are");
        }
    }

    private static async Task AnnounceReadyAsync(int[] gatewayPorts, CancellationToken stop)
    {
        await using var connection = await RaftClusterConnection.ConnectLocalAsync(gatewayPorts, ReadyDeadline, cancellationToken: stop);
        var kv = connection.Kv.Group();
        var until = DateTime.UtcNow + ReadyDeadline;
        while (DateTime.UtcNow < until)
        {
            stop.ThrowIfCancellationRequested();
            try
            {
                var status = await kv.StatusAsync(stop);
                var leader = status.Peers.FirstOrDefault(p => p?.Role == "Leader");
                if (leader is not null && status.Peers.All(p => p is not null))
                {
                    Console.WriteLine($"[cluster] ready: group '{status.Group}' leader {leader.Peer} (term {leader.Term}); gateways {string.Join(",", gatewayPorts)} on 127.0.0.1");
                    Console.WriteLine($"[cluster] try: dotnet run --project client -- set hello world   (Ctrl+C here stops all silos)");
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Silos still joining: keep asking until the deadline.
            }
            await Task.Delay(200, stop);
        }
        Console.WriteLine($"[cluster] no leader after {ReadyDeadline.TotalSeconds:0} s; the silos keep running, see their logs above");
    }

    private static async Task WaitForStopAsync(List<Process> children, SiloArguments args, CancellationToken stop)
    {
        var reported = new HashSet<int>();
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < children.Count; i++)
            {
                if (children[i].HasExited && reported.Add(i))
                {
                    Console.WriteLine($"[cluster] silo{i} exited with code {children[i].ExitCode}; the others keep serving. Restart it with:");
                    Console.WriteLine($"[cluster]   dotnet run --project silo -- {string.Join(' ', args.ForChild(i).Select(Quote))}");
                }
            }
            await Task.Delay(500, stop);
        }
    }

    private static string Quote(string text) => text.Contains(' ') || text.Contains(';') ? $"\"{text}\"" : text;

    private static async Task StopChildrenAsync(List<Process> children)
    {
        foreach (var child in children.Where(c => !c.HasExited)) Signals.Terminate(child);
        using var grace = new CancellationTokenSource(StopGrace);
        foreach (var child in children)
        {
            try
            {
                await child.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                child.Kill(entireProcessTree: true);
            }
        }
        Console.WriteLine("[cluster] all silos stopped");
    }
}
