using Microsoft.Extensions.DependencyInjection;
using OrleansRaft.Core.Messages;
using OrleansRaft.Grains.Directory;
using OrleansRaft.Peers;

namespace OrleansRaft.Grains.Peers;

/// <summary>How a peer's outgoing Raft messages reach the other peers. The default sends one-way grain calls;
/// tests replace it (through DI) to cut, delay, duplicate and reorder messages between chosen peers.</summary>
public interface IRaftPeerTransport
{
    /// <summary>Sends <paramref name="batch"/> (all addressed to <paramref name="to"/>) without waiting for anything.</summary>
    void Send(IGrainFactory grains, string from, string to, RaftMessage[] batch);
}

/// <summary>The transports OrleansRaft ships, for a replacement that decorates one instead of re-implementing delivery.</summary>
public static class RaftPeerTransports
{
    /// <summary>The transport a silo uses unless another <see cref="IRaftPeerTransport"/> is registered: one-way grain
    /// calls, dropped at once for a peer whose node has no active silo. <paramref name="services"/> is the silo's.</summary>
    public static IRaftPeerTransport CreateDefault(IServiceProvider services) =>
        new GrainCallTransport(services.GetRequiredService<PeerLocator>());
}

/// <summary>One-way <see cref="IRaftPeerGrain.Deliver"/> calls: completes at once, and a lost message is what
/// Raft expects from a network. A message to a peer whose node has no active silo is dropped here: sent anyway, it
/// would only wait in Orleans' placement retries (and log each one) for a peer that is down.</summary>
internal sealed class GrainCallTransport(PeerLocator peers) : IRaftPeerTransport
{
    public void Send(IGrainFactory grains, string from, string to, RaftMessage[] batch)
    {
        if (peers.HostOf(to, out _) is null) return;
        _ = grains.GetGrain<IRaftPeerGrain>(to).Deliver(batch);
    }
}
