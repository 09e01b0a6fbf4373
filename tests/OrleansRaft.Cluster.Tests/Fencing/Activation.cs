using Orleans.Storage;
using OrleansRaft.Core;
using OrleansRaft.Core.Messages;
using OrleansRaft.Grains.Peers;
using OrleansRaft.Grains.Storage;
using OrleansRaft.Hosting;

namespace OrleansRaft.Cluster.Tests.Fencing;

/// <summary>One activation of peer <c>dup/1</c> (of dup/0..2) over a shared store, doing with each Ready what the grain
/// does (RaftPeerGrain.PersistAndSendAsync), with its sends recorded. Log rows of two entries, so that a few entries
/// already span several rows.</summary>
internal sealed class Activation(string name, RaftNode node, PeerStore store, List<(string, RaftMessage)> sent)
{
    public static readonly string[] Peers = ["dup/0", "dup/1", "dup/2"];

    public RaftNode Node => node;

    public PeerStore Store => store;

    public static async Task<Activation> OpenAsync(
        string name, bool bootstrap, IGrainStorage storage, GrainId grain, PeerIdentity identity, List<(string, RaftMessage)> sent)
    {
        var store = new PeerStore(storage, grain, new RaftGroupOptions { LogSegmentEntries = 2 });
        var persisted = await store.OpenAsync(identity, bootstrap);
        var node = new RaftNode(new RaftConfig { Id = "dup/1", Peers = Peers, ElectionTicks = 10, HeartbeatTicks = 1, RandomSeed = 1 }, persisted);
        return new Activation(name, node, store, sent);
    }

    public async Task StepAsync(RaftMessage message)
    {
        node.Step(message);
        while (node.HasReady)
        {
            var ready = node.GetReady();
            if (ready.MessagesMayPrecedePersist) sent.AddRange(ready.Messages.Select(m => (name, m)));
            await store.PersistAsync(ready);
            if (!ready.MessagesMayPrecedePersist) sent.AddRange(ready.Messages.Select(m => (name, m)));
            node.Advance(ready);
        }
    }
}
