using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansRaft.Client;
using OrleansRaft.Hosting;
using OrleansRaft.Silo.Logging;
using OrleansRaft.Silo.Watching;

namespace OrleansRaft.Silo;

/// <summary>A silo failed to start for a reason the user can fix (a port in use, a database unreachable, a node
/// name taken).</summary>
internal sealed class SiloStartupException(string message, Exception inner) : Exception(message, inner);

/// <summary><c>silo run</c>: one Orleans silo, the node <c>--node</c>, hosting that node's peers of the Raft group "kv".</summary>
internal static class SiloHost
{
    /// <summary>The start of the line <c>silo run</c> prints once the silo is active in the cluster; the launcher
    /// and the tests wait for it.</summary>
    public static string UpLine(string node) => $"node {node} up:";

    public static async Task<int> RunAsync(SiloArguments args, CancellationToken stop)
    {
        await PortCheck.EnsureFreeAsync(args, stop);
        IHost host;
        try
        {
            host = Build(args);
            await host.StartAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.WriteLine($"node {args.Node} stopped while starting");
            return 0;
        }
        catch (Exception e)
        {
            throw new SiloStartupException($"node {args.Node} could not start: {OneLine(Reason(e))}", e);
        }
        Console.WriteLine($"{UpLine(args.Node)} {Describe(args)}");
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
        Console.WriteLine($"node {args.Node} stopping");
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await host.StopAsync(grace.Token);
        host.Dispose();
        return 0;
    }

    /// <summary>With a metrics port, a web host (Kestrel for <see cref="WatchEndpoints"/>) around the silo; without, a
    /// plain generic host.</summary>
    private static IHost Build(SiloArguments args)
    {
        if (args.MetricsPort == 0)
        {
            var plain = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            Configure(plain, args);
            return plain.Build();
        }
        var web = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(SiloHost).Assembly.GetName().Name });
        // The slim builder adds its own console logger and reads ASPNETCORE_* settings: ours only.
        web.Logging.ClearProviders();
        Configure(web, args);
        WatchEndpoints.Add(web, args);
        var app = web.Build();
        WatchEndpoints.Map(app);
        return app;
    }

    private static void Configure(IHostApplicationBuilder builder, SiloArguments args)
    {
        SiloLogging.Configure(builder.Logging, args.LogFormat);
        // The generic host's own Ctrl+C handling would race ours; Program.cs owns shutdown.
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = OrleansRaftDefaults.ClusterId;
                options.ServiceId = OrleansRaftDefaults.ServiceId;
            });
            silo.UseOrleansRaftNode(args.Node);
            silo.ConfigureEndpoints(args.Address, args.SiloPort, args.GatewayPort, listenOnAnyHostAddress: false);
            if (args.Clustering == Backend.Sqlite) silo.UseOrleansRaftSqliteClustering(args.MembershipDirectory);
            else silo.UseOrleansRaftPostgresClustering(args.ConnectionString!);
            if (args.Storage == Backend.Sqlite) silo.AddOrleansRaftSqliteStorage(args.DataDirectory);
            else silo.AddOrleansRaftPostgresStorage(args.ConnectionString!);
            foreach (var name in args.GroupNames)
            {
                silo.AddRaftGroup(name, options => options.Configure(group =>
                {
                    group.OnNodes([.. args.Nodes]);
                    group.Bootstrap = args.Bootstrap;
                    group.QuiesceTicks = args.QuiesceTicks;
                    // Every silo reaches shared storage: a peer whose node is down may run on a spare silo meanwhile.
                    group.Roaming = args.Storage == Backend.Postgres;
                }));
            }
        });
        builder.Services.AddHostedService<MembershipLog>();
    }

    /// <summary>Where everything is: "silo 127.0.0.1:11111, gateway 127.0.0.1:30000; membership sqlite ...; storage
    /// sqlite ...; group kv on node0,node1,node2, here kv/0".</summary>
    private static string Describe(SiloArguments args)
    {
        var membership = args.Clustering == Backend.Sqlite
            ? $"sqlite {OrleansRaftStorageExtensions.SqliteMembershipFile(Path.GetFullPath(args.MembershipDirectory))}"
            : "postgres";
        var storage = args.Storage == Backend.Sqlite
            ? $"sqlite {OrleansRaftStorageExtensions.SqliteNodeFile(Path.GetFullPath(args.DataDirectory))}"
            : "postgres";
        var here = args.Nodes.Select((node, peer) => (node, peer)).Where(p => p.node == args.Node)
            .Select(p => $"{OrleansRaftDefaults.Group}/{p.peer}").ToArray();
        var hosts = here.Length > 0 ? $"here {string.Join(",", here)}"
            : args.Storage == Backend.Postgres ? "no peer here (a spare: a peer whose node is down runs here meanwhile)" : "no peer here";
        var bootstrap = args.Bootstrap ? "; --bootstrap: a peer with no storage creates it" : "";
        var web = args.MetricsPort == 0 ? "" : $", live view {WebUrl(args)}/ (metrics /metrics, health /health/ready)";
        var others = args.Groups > 1 ? $" (and {args.Groups - 1} more groups on the same nodes, kv-2 .. kv-{args.Groups})" : "";
        return $"silo {Endpoint(args, args.SiloPort)}, gateway {Endpoint(args, args.GatewayPort)}{web}; membership {membership}; storage {storage}; " +
            $"group {OrleansRaftDefaults.Group} on {string.Join(",", args.Nodes)}, {hosts}{others}{bootstrap}";
    }

    /// <summary>http://127.0.0.1:7070: where the silo's live view, metrics and health checks are.</summary>
    public static string WebUrl(SiloArguments args) => $"http://{Endpoint(args, args.MetricsPort)}";

    private static string Endpoint(SiloArguments args, int port) => new GatewayAddress(args.Address.ToString(), port).ToString();

    /// <summary>The message that names the cause: the first one OrleansRaft itself threw (it says what to do; a file
    /// lock's IOException inside it does not), else PostgreSQL's client message, which names the server ("Failed to
    /// connect to 10.0.0.5:5432: Connection refused"), else the innermost one.</summary>
    private static string Reason(Exception e)
    {
        var cause = e.GetBaseException().Message;
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner.TargetSite?.DeclaringType?.Namespace?.StartsWith("OrleansRaft", StringComparison.Ordinal) == true) return inner.Message;
        }
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is not Npgsql.NpgsqlException npgsql) continue;
            return npgsql.Message == cause || npgsql.Message.Contains(cause, StringComparison.Ordinal)
                ? $"PostgreSQL: {npgsql.Message}"
                : $"PostgreSQL: {npgsql.Message}: {cause}";
        }
        return cause;
    }

    internal static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
