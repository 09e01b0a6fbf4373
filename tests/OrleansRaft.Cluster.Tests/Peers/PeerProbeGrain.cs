using OrleansRaft.Peers;

namespace OrleansRaft.Cluster.Tests.Peers;

/// <summary>A grain of the cluster that calls a peer directly, as any application grain could (the peer guard only
/// keeps external clients out).</summary>
[Alias("OrleansRaft.Tests.IPeerProbeGrain")]
public interface IPeerProbeGrain : IGrainWithStringKey
{
    [Alias("Query")]
    Task<QueryResponse> Query(string peer, byte[] query);

    [Alias("Propose")]
    Task<ProposeResponse> Propose(string peer, byte[] command);
}

internal sealed class PeerProbeGrain : Grain, IPeerProbeGrain
{
    public Task<QueryResponse> Query(string peer, byte[] query) => GrainFactory.GetGrain<IRaftPeerGrain>(peer).Query(query, allowStale: false);

    public Task<ProposeResponse> Propose(string peer, byte[] command) => GrainFactory.GetGrain<IRaftPeerGrain>(peer).Propose(command);
}
