using Microsoft.Extensions.Logging;

namespace OrleansRaft.Hosting.Nodes;

/// <summary>
/// Refuses to finish starting a silo whose name (its node) is already taken by another live silo at a different
/// address: two silos claiming one node would each host "the" peers of that node. A silo restarted at the same
/// address is the same node coming back (Orleans retires the dead incarnation), so that is not a conflict.
/// </summary>
internal sealed partial class NodeNameGuard(ILocalSiloDetails local, IClusterMembershipService membership, ILogger<NodeNameGuard> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(NodeNameGuard), ServiceLifecycleStage.Active, Check);

    private Task Check(CancellationToken cancellationToken)
    {
        if (!RaftNodeNames.IsValid(local.Name))
            throw new InvalidOperationException($"node name '{local.Name}' is invalid: {RaftNodeNames.Rule}.");
        var clash = membership.CurrentSnapshot.Members.Values.FirstOrDefault(m =>
            m.Status is SiloStatus.Active or SiloStatus.Joining or SiloStatus.Created
            && string.Equals(m.Name, local.Name, StringComparison.Ordinal)
            && !m.SiloAddress.Endpoint.Equals(local.SiloAddress.Endpoint));
        if (clash is not null)
        {
            LogClash(local.Name, clash.SiloAddress.ToString());
            throw new InvalidOperationException(
                $"node '{local.Name}' is already running as silo {clash.SiloAddress}: every silo needs its own node name (--node)");
        }
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Critical, Message = "This silo's node name {Node} is already taken by live silo {Other}; refusing to start")]
    private partial void LogClash(string node, string other);
}
