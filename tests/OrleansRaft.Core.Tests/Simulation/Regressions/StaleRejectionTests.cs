using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Simulation.Regressions;

/// <summary>
/// Found by the simulator (seed 202215, 3 nodes): a follower catching up through a pipeline of small appends
/// over a lossy network. One lost append makes the follower reject every later one; the first rejection sends
/// the leader back to probing, the probe succeeds, the leader pipelines again, and then each stale rejection of
/// the first burst sent it back to probing again, every time with a new window of appends that earned new
/// rejections: a message storm. A rejection sent while the follower's log ended below Match is stale.
/// </summary>
public class StaleRejectionTests
{
    private static readonly string[] Ids = ["a", "b", "c"];
    private readonly Dictionary<string, RaftNode> _nodes;
    private readonly List<RaftMessage> _wire = [];

    public StaleRejectionTests()
    {
        // One entry per append (MaxMessageBytes below any entry's size), so that the catch-up is a pipeline.
        _nodes = Ids.ToDictionary(id => id, id => new RaftNode(new RaftConfig
        {
            Id = id, Peers = Ids, RandomSeed = id[0], MaxMessageBytes = 1, ElectionTicks = 10, HeartbeatTicks = 5,
        }));
    }

    [Fact]
    public void StaleRejectionsOfAnEarlierBurstDoNotRestartReplication()
    {
        var leader = _nodes["a"];
        var c = _nodes["c"];
        while (leader.Role != RaftRole.Leader)
        {
            leader.Tick();
            Settle(_ => true);
        }

        // c is cut off while the leader commits 20 entries with b.
        for (var i = 0; i < 20; i++) leader.Propose([(byte)i]);
        Settle(m => m.To != "c" && m.From != "c");
        Assert.Equal(leader.LastIndex, leader.CommitIndex);
        _wire.Clear();

        // c answers a heartbeat: the leader finds the gap, probes, and once the probe succeeds pipelines the rest,
        // one entry per append.
        for (var t = 0; t < leader.Config.HeartbeatTicks; t++) leader.Tick();
        Flush(leader);
        var burst = ExchangeWithCUntilBurst();

        // The first append of the burst is lost: c rejects every later one.
        foreach (var append in burst.Skip(1)) c.Step(append);
        Flush(c);
        var rejections = Take(m => m is AppendEntriesReply { Success: false });
        Assert.Equal(burst.Count - 1, rejections.Count);

        // The first rejection is current: the leader probes from the gap, the probe succeeds, a new burst leaves.
        leader.Step(rejections[0]);
        Flush(leader);
        var secondBurst = ExchangeWithCUntilBurst();
        Assert.True(secondBurst.Count > 5);

        // The other rejections answer the first burst and arrive while the second is in flight. They are stale
        // (c has acknowledged past the log end they report) and must not send the leader back to probing.
        foreach (var rejection in rejections.Skip(1)) leader.Step(rejection);
        Flush(leader);
        Assert.DoesNotContain(_wire, m => m is AppendEntries && m.To == "c");

        // The second burst completes the catch-up.
        foreach (var append in secondBurst) c.Step(append);
        Settle(_ => true);
        Assert.Equal(leader.LastIndex, c.LastIndex);
    }

    /// <summary>Delivers the traffic between the leader and c round by round (dropping b's) until the leader has
    /// a burst of appends for c on the wire; takes the burst off the wire.</summary>
    private List<RaftMessage> ExchangeWithCUntilBurst()
    {
        for (var round = 0; round < 20; round++)
        {
            var appends = _wire.Count(m => m is AppendEntries && m.To == "c");
            if (appends > 5) return Take(m => m is AppendEntries && m.To == "c");
            var messages = Take(m => m.To == "c" || m.From == "c");
            _wire.Clear();
            foreach (var message in messages)
            {
                var to = _nodes[message.To];
                to.Step(message);
                Flush(to);
            }
        }
        throw new InvalidOperationException("The leader never pipelined appends to c.");
    }

    /// <summary>Hands out every Ready of <paramref name="node"/> (writes are instant) and collects its messages.</summary>
    private void Flush(RaftNode node)
    {
        while (node.HasReady)
        {
            var ready = node.GetReady();
            _wire.AddRange(ready.Messages);
            node.Advance(ready);
        }
    }

    /// <summary>Delivers messages that <paramref name="deliver"/> lets through until none is left; drops the others.</summary>
    private void Settle(Func<RaftMessage, bool> deliver)
    {
        foreach (var node in _nodes.Values) Flush(node);
        while (_wire.Count > 0)
        {
            var message = _wire[0];
            _wire.RemoveAt(0);
            if (!deliver(message)) continue;
            var to = _nodes[message.To];
            to.Step(message);
            Flush(to);
        }
    }

    private List<RaftMessage> Take(Func<RaftMessage, bool> match)
    {
        var taken = _wire.Where(match).ToList();
        _wire.RemoveAll(m => match(m));
        return taken;
    }
}
