using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OrleansRaft.Grains.Diagnostics;

namespace OrleansRaft.Silo.Watching;

/// <summary>
/// Everything a silo serves over HTTP on <c>--metrics-port</c>: <c>/metrics</c> (Prometheus text, our meter and
/// Orleans'), <c>/health/live</c> (the process serves HTTP), <c>/health/ready</c> (<see cref="ReadinessHealthCheck"/>),
/// <c>/api/groups</c> (<see cref="GroupViewApi"/>) and the live view at <c>/</c>.
/// </summary>
internal static class WatchEndpoints
{
    /// <summary>Orleans' own meter: messaging, activations, membership.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    public static void Add(WebApplicationBuilder builder, SiloArguments args)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(args.Address, args.MetricsPort));
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(RaftMetrics.MeterName, OrleansMeter)
            .AddPrometheusExporter());
        builder.Services.AddHealthChecks().AddCheck<ReadinessHealthCheck>("raft-groups", tags: ["ready"]);
        builder.Services.AddSingleton<GroupViewApi>();
    }

    public static void Map(WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = WriteAsync });
        app.Services.GetRequiredService<GroupViewApi>().Map(app);
        LiveViewAssets.Map(app);
    }

    /// <summary>{"status":"Unhealthy","checks":{"raft-groups":"kv/1: no leader in term 4 (PreCandidate)"}}.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Description),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
