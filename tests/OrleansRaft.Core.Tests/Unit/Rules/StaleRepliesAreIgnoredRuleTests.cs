using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// Replies may arrive late, twice or out of order (§5.3: the network may delay and duplicate). The leader acts only on
/// a reply that is news: a success that does not raise what it knows the follower holds, or a rejection of an append it
/// has since moved past, changes nothing (etcd: <c>MaybeUpdate</c>, <c>MaybeDecrTo</c>). A rejection of an append
/// still in flight is news: the follower goes back to probing from there.
/// </summary>
public sealed class StaleRepliesAreIgnoredRuleTests
{
    public static TheoryData<string, string, string, int> Replies => new()
    {
        // follower 2: replicating (acknowledged through 2, appends ending at 3 and 4 in flight), or probing (after
        // its rejection at 3, from 3); the reply; the state afterwards and how many appends it sent
        { "replicate", "reject 2", "Replicate", 0 },   // 2 is acknowledged: a rejection of it is stale
        { "replicate", "reject 1", "Replicate", 0 },
        { "replicate", "reject 3", "Probe", 1 },       // the first append in flight was rejected
        { "replicate", "reject 4", "Probe", 1 },       // the last one
        { "replicate", "ack 2", "Replicate", 0 },      // a duplicate
        { "probe", "ack 2", "Probe", 0 },              // a duplicate, late: the probe at 3 is still unanswered
        { "probe", "reject 4", "Probe", 0 },           // the answer to an append sent before the probe
        { "probe", "ack 3", "Replicate", 1 },          // the probe's answer: entry 4 follows
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void OnlyAReplyThatIsNewsMovesTheLeader(string state, string reply, string expectedState, int appends)
    {
        var leader = ReadyLeader(Conf("1 2 3"));
        leader.Propose([3]);
        Nodes.Flush(leader);
        leader.Propose([4]);
        Nodes.Flush(leader);
        if (state == "probe")
        {
            leader.Step(Reject(leader, 3));
            Nodes.Flush(leader);
            Assert.Equal("Probe", Follower2(leader).State);
        }

        var parts = reply.Split(' ');
        var index = long.Parse(parts[1]);
        leader.Step(parts[0] == "ack" ? Nodes.Ack(leader, "2", index) : Reject(leader, index));

        Assert.Equal(expectedState, Follower2(leader).State);
        Assert.Equal(appends, Nodes.Sent(leader).OfType<AppendEntries>().Count(a => a.To == "2"));
    }

    /// <summary>Follower 2 rejects the append whose previous index is <paramref name="index"/>, hinting that its
    /// log ends just before it.</summary>
    private static AppendEntriesReply Reject(RaftNode leader, long index) =>
        new("2", "1", leader.Term, Success: false, index, ConflictTerm: 0, ConflictIndex: index);

    private static FollowerProgress Follower2(RaftNode leader) => leader.Followers.Single(f => f.Peer == "2");
}
