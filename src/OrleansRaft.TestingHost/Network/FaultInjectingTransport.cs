using OrleansRaft.Core.Messages;
using OrleansRaft.Grains.Peers;

namespace OrleansRaft.TestingHost;

/// <summary>One silo's peer transport in a test cluster: asks the shared <see cref="RaftTestNetwork"/> what becomes of
/// each batch, then hands it to the product's own transport, so that what does get through travels exactly as in
/// production. A delayed batch continues on the sending grain's scheduler, so it still leaves as a call from that grain.</summary>
internal sealed class FaultInjectingTransport(RaftTestNetwork network, IRaftPeerTransport inner) : IRaftPeerTransport
{
    public void Send(IGrainFactory grains, string from, string to, RaftMessage[] batch)
    {
        var (copies, delay) = network.Route(from, to);
        for (var i = 0; i < copies; i++)
        {
            if (delay == TimeSpan.Zero)
            {
                inner.Send(grains, from, to, batch);
            }
            else
            {
                _ = Task.Delay(delay).ContinueWith(
                    _ => inner.Send(grains, from, to, batch),
                    CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Current);
            }
        }
    }
}
