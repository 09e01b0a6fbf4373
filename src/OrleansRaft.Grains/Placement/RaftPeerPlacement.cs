using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using OrleansRaft.Grains.Directory;
using OrleansRaft.Hosting;
using OrleansRaft.Peers;

namespace OrleansRaft.Grains.Placement;

/// <summary>Places every peer on the silo of its node (<see cref="RaftGroupOptions.Nodes"/>, matched against the
/// silo names in the membership table), or, with <see cref="RaftGroupOptions.Roaming"/> while that node is down, on
/// the spare silo <c>PeerLocator</c> gives it; nowhere else: a peer woken on another silo would find no storage there
/// (node-local SQLite) or sit beside another peer of its group, so that one silo's death took two of them.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("OrleansRaft.RaftPeerPlacement")]
public sealed class RaftPeerPlacement : PlacementStrategy
{
    internal static readonly RaftPeerPlacement Instance = new();
}

/// <summary>Marks a grain class for <see cref="RaftPeerPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class RaftPeerPlacementAttribute() : PlacementAttribute(RaftPeerPlacement.Instance);

/// <summary>A peer's node has no active silo: the peer is down until the node's silo is back.</summary>
[GenerateSerializer, Alias("OrleansRaft.RaftNodeUnavailableException")]
public sealed class RaftNodeUnavailableException : OrleansException
{
    public RaftNodeUnavailableException(string message) : base(message)
    {
    }
}

internal sealed class RaftPeerPlacementDirector(RaftGroupRegistry groups, PeerLocator peers) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = PeerKey.Parse(target.GrainIdentity.Key.ToString()!);
        if (!groups.TryGet(key.Group, out var options))
            throw new RaftNodeUnavailableException($"Raft group '{key.Group}' is not configured on the silo placing peer {key}.");
        var node = options.NodeOf(key)
            ?? throw new RaftNodeUnavailableException($"Raft group '{key.Group}' was bootstrapped with {options.PeerNodes.Count} peers and '{key}' names no node: it is not a peer of the group.");
        var host = peers.HostOf(key.ToString(), out _) is { } silo && context.GetCompatibleSilos(target).Contains(silo) ? silo : null;
        return host is not null
            ? Task.FromResult(host)
            : throw new RaftNodeUnavailableException(options.Roaming
                ? $"Raft peer {key} lives on node '{node}', which has no active silo, and no spare silo is free for it: the peer is down until one is."
                : $"Raft peer {key} lives on node '{node}', which has no active silo: the peer is down until that node's silo is back.");
    }
}
