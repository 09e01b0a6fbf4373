using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using OrleansRaft.Peers;

namespace OrleansRaft.Grains.Placement;

/// <summary>Places peer i of every group on the i-th compatible silo (ordered by address), so that the peers of
/// one group land on distinct silos whenever there are at least as many silos as peers: losing one silo then
/// loses at most one peer of each group.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansRaft.RaftPeerPlacement")]
public sealed class RaftPeerPlacement : PlacementStrategy
{
    internal static readonly RaftPeerPlacement Instance = new();
}

/// <summary>Marks a grain class for <see cref="RaftPeerPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class RaftPeerPlacementAttribute() : PlacementAttribute(RaftPeerPlacement.Instance);

internal sealed class RaftPeerPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        if (silos.Length == 0) throw new OrleansException($"No silo can host {target.GrainIdentity}.");
        var ordered = silos.OrderBy(s => s.Endpoint.Address.ToString(), StringComparer.Ordinal)
            .ThenBy(s => s.Endpoint.Port)
            .ThenBy(s => s.Generation)
            .ToArray();
        var index = PeerKey.Parse(target.GrainIdentity.Key.ToString()!).Index;
        return Task.FromResult(ordered[index % ordered.Length]);
    }
}
