using Orleans.GrainDirectory;
using OrleansRaft.Peers;

namespace OrleansRaft.Grains.Directory;

/// <summary>
/// The grain directory of OrleansRaft's own grains, which needs no other silo to answer. A peer lives only on its
/// node (placement pins it there; roaming, on the spare silo it is given while the node is down), so its address
/// follows from the group's configuration and the membership table (<see cref="PeerLocator"/>). The KV facade is a stateless worker that lives on every silo, so it
/// has no address to look up at all.
/// </summary>
/// <remarks>Orleans' default directory keeps each grain's address on the silo that owns the grain's hash. When that
/// silo dies, looking the grain up waits (and retries) until the cluster declares the silo dead, 10 s and more with
/// default membership timing: a follower whose first PreVote needs such a lookup cannot elect a leader meanwhile, and
/// a gateway that never served the facade before cannot route a client's request to it. Registration always succeeds
/// here: a peer can only activate where the locator puts it (it refuses elsewhere), and the peer row fences
/// what a second activation might write.</remarks>
internal sealed class NodePinnedGrainDirectory(PeerLocator peers, IGrainFactory grains) : IGrainDirectory
{
    public const string Name = "orleansraft";

    private GrainType? _peerType;

    private GrainType PeerType => _peerType ??= grains.GetGrain<IRaftPeerGrain>("type/0").GetGrainId().Type;

    public Task<GrainAddress?> Lookup(GrainId grainId) => Task.FromResult(grainId.Type == PeerType ? HostOf(grainId) : null);

    public Task<GrainAddress?> Register(GrainAddress address) => Task.FromResult<GrainAddress?>(address);

    public Task<GrainAddress?> Register(GrainAddress address, GrainAddress? previousAddress) => Task.FromResult<GrainAddress?>(address);

    public Task Unregister(GrainAddress address) => Task.CompletedTask;

    public Task UnregisterSilos(List<SiloAddress> siloAddresses) => Task.CompletedTask;

    /// <summary>The silo the peer runs on, or null when it has none: placement then says the peer is down.</summary>
    private GrainAddress? HostOf(GrainId grainId) =>
        peers.HostOf(grainId.Key.ToString()!, out var version) is { } host
            ? new GrainAddress { GrainId = grainId, SiloAddress = host, ActivationId = ActivationId.NewId(), MembershipVersion = version }
            : null;
}
