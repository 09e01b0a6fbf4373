using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Membership;

/// <summary>
/// A leader keeps replicating to a peer it removed until the peer holds the entry that removed it (so that it learns
/// it was removed and stops campaigning), and then forgets it at once: the acknowledgement of the removal is the last
/// thing the leader does for it, even with entries after the removal still to send.
/// </summary>
public sealed class RemovedPeerIsForgottenRuleTests
{
    public static TheoryData<string, string, bool> Acks => new()
    {
        // indexes removed peer 4 acknowledges (the removal is entry 4, entries 3 and 5 around it), what the last
        // acknowledgement sends to 4 ("append N" or "nothing"), whether 4 still gets heartbeats
        { "3", "append 4", true },    // it does not hold its removal yet
        { "3 4", "nothing", false },  // it does: forgotten, entry 5 is not sent to it
    };

    [Theory]
    [MemberData(nameof(Acks))]
    public void ARemovedPeerIsForgottenOnceItHoldsItsRemoval(string acks, string sent, bool tracked)
    {
        // One entry per append and one append in flight, so that what each acknowledgement sends is visible.
        var leader = ReadyLeader(Conf("1 2 3 4"), configure: c => c with { MaxMessageBytes = 1, MaxInflightMessages = 1 });
        leader.Propose([3]);
        Nodes.Flush(leader);
        Propose(leader, "remove 4");
        leader.Propose([5]);
        Nodes.Flush(leader);

        var toPeer = new List<RaftMessage>();
        foreach (var index in Ids(acks).Select(long.Parse))
        {
            leader.Step(Nodes.Ack(leader, "4", index));
            toPeer = [.. Nodes.Sent(leader).Where(m => m.To == "4")];
        }
        leader.Tick();

        if (sent == "nothing") Assert.Empty(toPeer);
        else Assert.Equal([long.Parse(sent[7..])], Assert.IsType<AppendEntries>(Assert.Single(toPeer)).Entries.Select(e => e.Index));
        Assert.Equal(tracked, Nodes.Sent(leader).OfType<Heartbeat>().Any(h => h.To == "4"));
    }
}
