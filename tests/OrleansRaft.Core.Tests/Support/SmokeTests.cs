using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Support;

public class SmokeTests
{
    [Fact]
    public void ThreeNodesElectAndCommit()
    {
        var ids = new[] { "a", "b", "c" };
        var nodes = ids.Select((id, i) => new RaftNode(new RaftConfig { Id = id, Peers = ids, RandomSeed = i + 1 })).ToDictionary(n => n.Id);
        var inflight = new Queue<RaftMessage>();
        var applied = ids.ToDictionary(id => id, _ => new List<Entry>());
        void Drain()
        {
            for (var guard = 0; guard < 10000; guard++)
            {
                var any = false;
                foreach (var n in nodes.Values)
                {
                    if (!n.HasReady) continue;
                    any = true;
                    var rd = n.GetReady();
                    foreach (var m in rd.Messages) inflight.Enqueue(m);
                    applied[n.Id].AddRange(rd.CommittedEntries);
                    n.Advance(rd);
                }
                while (inflight.TryDequeue(out var msg)) { nodes[msg.To].Step(msg); any = true; }
                if (!any) return;
            }
        }
        for (var t = 0; t < 100 && !nodes.Values.Any(n => n.Role == RaftRole.Leader); t++)
        {
            foreach (var n in nodes.Values) n.Tick();
            Drain();
        }
        var leader = nodes.Values.Single(n => n.Role == RaftRole.Leader);
        var r = leader.Propose([1, 2, 3]);
        Assert.True(r.Accepted);
        Drain();
        foreach (var n in nodes.Values) n.Tick();
        Drain();
        foreach (var id in ids)
            Assert.Contains(applied[id], e => e.Index == r.Index && e.Data.SequenceEqual(new byte[] { 1, 2, 3 }));
    }
}
