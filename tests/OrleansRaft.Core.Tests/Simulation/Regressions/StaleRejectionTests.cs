using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Simulation.Regressions;

/// <summary>
/// Found by the simulator (seed 202215, 3 nodes): a follower catching up through a pipeline of small appends
/// over a lossy network. One lost append makes the follower reject every later one; the first rejection sends
/// the leader back to probing, the probe succeeds, the leader pipelines again, and then each stale rejection of
/// the first burst sent it back to probing again, every time with a new window of appends that earned new
/// rejections: a message storm (and seed 408134 once that was fixed: reordered rejections that look fresh).
/// A rejection sent while the follower's log ended below Match is stale, and a replicating follower goes back
/// to probing at most once per heartbeat round.
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
        var (leader, c, _, rejections) = LoseTheFirstAppendOfACatchUpBurst();

        // The next heartbeat round finds the gap: the leader probes from it, the probe succeeds, a new burst leaves.
        HeartbeatRound(leader);
        var secondBurst = ExchangeWithCUntilBurst();

        // Another heartbeat round (its tail probe is held back), then the first burst's rejections arrive, late.
        // They are stale (c has acknowledged past the log end they report): no going back to probing.
        HeartbeatRound(leader);
        Take(m => m is AppendEntries && m.To == "c");
        foreach (var rejection in rejections) leader.Step(rejection);
        Flush(leader);
        Assert.DoesNotContain(_wire, m => m is AppendEntries && m.To == "c");

        // The second burst completes the catch-up.
        foreach (var append in secondBurst) c.Step(append);
        Settle(_ => true);
        Assert.Equal(leader.LastIndex, c.LastIndex);
    }

    [Fact]
    public void ReorderedRejectionsRestartReplicationAtMostOncePerHeartbeat()
    {
        var (leader, c, burst, _) = LoseTheFirstAppendOfACatchUpBurst();
        HeartbeatRound(leader);
        var secondBurst = ExchangeWithCUntilBurst();

        // Late duplicates of the first burst reach c after the probe: c rejects them reporting its log end as it is
        // now, so nothing tells these rejections from fresh ones. The leader already went back to probing once in
        // this heartbeat round: it must not do it again for each of them.
        foreach (var append in burst.Skip(2)) c.Step(append);
        Flush(c);
        var late = Take(m => m is AppendEntriesReply { Success: false });
        Assert.NotEmpty(late);
        foreach (var rejection in late) leader.Step(rejection);
        Flush(leader);
        Assert.DoesNotContain(_wire, m => m is AppendEntries && m.To == "c");

        foreach (var append in secondBurst) c.Step(append);
        Settle(_ => true);
        Assert.Equal(leader.LastIndex, c.LastIndex);
    }

    /// <summary>The leader heartbeats; c's reply reaches it. Whatever the leader sends in response stays on the wire.</summary>
    private void HeartbeatRound(RaftNode leader)
    {
        _wire.Clear();
        for (var t = 0; t < leader.Config.HeartbeatTicks; t++) leader.Tick();
        Flush(leader);
        var heartbeat = Take(m => m is Heartbeat && m.To == "c").Single();
        _wire.Clear();
        _nodes["c"].Step(heartbeat);
        Flush(_nodes["c"]);
        var reply = Take(m => m is HeartbeatReply).Single();
        leader.Step(reply);
        Flush(leader);
    }

    /// <summary>Elects a, commits 20 entries while c is cut off, then lets c answer a heartbeat: the leader probes
    /// and pipelines the rest to c, one entry per append. The first append of that burst is lost and c rejects
    /// every later one; their rejections come back while the leader has already gone back to probing once in this
/// heartbeat round, so they change nothing. Returns the burst and c's rejections.</summary>
    private (RaftNode Leader, RaftNode C, List<RaftMessage> Burst, List<RaftMessage> Rejections) LoseTheFirstAppendOfACatchUpBurst()
    {
        var leader = _nodes["a"];
        var c = _nodes["c"];
        while (leader.Role != RaftRole.Leader)
        {
            leader.Tick();
            Settle(_ => true);
        }
        for (var i = 0; i < 20; i++) leader.Propose([(byte)i]);
        Settle(m => m.To != "c" && m.From != "c");
        Assert.Equal(leader.LastIndex, leader.CommitIndex);
        _wire.Clear();

        for (var t = 0; t < leader.Config.HeartbeatTicks; t++) leader.Tick();
        Flush(leader);
        var burst = ExchangeWithCUntilBurst();
        foreach (var append in burst.Skip(1)) c.Step(append);
        Flush(c);
        var rejections = Take(m => m is AppendEntriesReply { Success: false });
        Assert.Equal(burst.Count - 1, rejections.Count);
        foreach (var rejection in rejections) leader.Step(rejection);
        Flush(leader);
        Assert.DoesNotContain(_wire, m => m is AppendEntries && m.To == "c");
        return (leader, c, burst, rejections);
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
