using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansRaft.Silo.Logging;

/// <summary>One line when a silo of the cluster becomes active or dead, as this silo's membership view changes:
/// Orleans says so only at Debug, or in many lines of probes.</summary>
internal sealed partial class MembershipLog(IClusterMembershipService membership, ILogger<MembershipLog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var known = new Dictionary<SiloAddress, SiloStatus>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                foreach (var (address, member) in snapshot.Members)
                {
                    var before = known.GetValueOrDefault(address, SiloStatus.None);
                    if (before == member.Status) continue;
                    known[address] = member.Status;
                    if (member.Status == SiloStatus.Active) LogJoined(member.Name ?? "?", address.ToString());
                    else if (member.Status == SiloStatus.Dead && before != SiloStatus.None) LogDied(member.Name ?? "?", address.ToString());
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 1900, Level = LogLevel.Information, Message = "Silo {Node} ({Silo}) is active in the cluster")]
    private partial void LogJoined(string node, string silo);

    [LoggerMessage(EventId = 1901, Level = LogLevel.Warning, Message = "Silo {Node} ({Silo}) is dead: the cluster declared it so")]
    private partial void LogDied(string node, string silo);
}
