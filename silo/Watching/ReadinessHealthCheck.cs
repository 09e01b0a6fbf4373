using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansRaft.Grains.Diagnostics;

namespace OrleansRaft.Silo.Watching;

/// <summary><c>/health/ready</c>: healthy once every group this silo hosts a peer of has a leader its peer can reach
/// and none of its peers is fenced or refused (<see cref="GroupReadiness"/>); the description lists what is not.</summary>
internal sealed class ReadinessHealthCheck(GroupReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = readiness.Problems();
        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy("every group hosted here has a reachable leader")
            : HealthCheckResult.Unhealthy(string.Join("; ", problems)));
    }
}
