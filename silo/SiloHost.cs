using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansRaft.Client;
using OrleansRaft.Hosting;

namespace OrleansRaft.Silo;

/// <summary>A silo failed to start for a reason the user can fix (a port in use, a database unreachable).</summary>
internal sealed class SiloStartupException(string message, Exception inner) : Exception(message, inner);

/// <summary><c>silo run</c>: one Orleans silo on 127.0.0.1 hosting the Raft group "kv".</summary>
internal static class SiloHost
{
    public static async Task<int> RunAsync(SiloArguments args, CancellationToken stop)
    {
        await PortCheck.EnsureFreeAsync(args, stop);
        IHost host;
        try
        {
            host = Build(args);
            await host.StartAsync(stop);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new SiloStartupException($"silo {args.Index} could not start: {e.GetBaseException().Message}", e);
        }
        Console.WriteLine($"silo {args.Index} up: silo port {args.SiloPort}, gateway port {args.GatewayPort}, storage {Describe(args)}");
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
        Console.WriteLine($"silo {args.Index} stopping");
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await host.StopAsync(grace.Token);
        host.Dispose();
        return 0;
    }

    private static IHost Build(SiloArguments args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("OrleansRaft", LogLevel.Information);
        // The generic host's own Ctrl+C handling would race ours; Program.cs owns shutdown.
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = OrleansRaftDefaults.ClusterId;
                options.ServiceId = OrleansRaftDefaults.ServiceId;
            });
            silo.Configure<SiloOptions>(options => options.SiloName = $"silo{args.Index}");
            silo.ConfigureEndpoints(IPAddress.Loopback, args.SiloPort, args.GatewayPort, listenOnAnyHostAddress: false);
            if (args.Storage == StorageKind.Sqlite)
            {
                silo.UseOrleansRaftSqliteClustering(args.DataDirectory);
                silo.AddOrleansRaftSqliteStorage(args.DataDirectory);
            }
            else
            {
                silo.UseOrleansRaftPostgresClustering(args.ConnectionString!);
                silo.AddOrleansRaftPostgresStorage(args.ConnectionString!);
            }
            silo.AddRaftGroup(OrleansRaftDefaults.Group, options => options.Configure(group => group.Peers = args.Peers));
        });
        return builder.Build();
    }

    private static string Describe(SiloArguments args) =>
        args.Storage == StorageKind.Sqlite ? $"sqlite in {Path.GetFullPath(args.DataDirectory)}" : "postgres";
}
