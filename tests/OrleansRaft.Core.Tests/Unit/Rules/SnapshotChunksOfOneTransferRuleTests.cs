using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// §7: a follower assembles a snapshot from the chunks of one transfer only, named by (sender, term, snapshot index and
/// term): two replicas, or one replica in two terms, may encode the same state differently, so bytes of two transfers
/// never mix. A chunk of another transfer that does not start at offset 0 is answered with "send from 0".
/// </summary>
public sealed class SnapshotChunksOfOneTransferRuleTests
{
    public static TheoryData<string, long, long, long> SecondChunks => new()
    {
        // after the first 2 bytes of snapshot 5 (term 2) from 1 in term 2: the next chunk's sender, term, snapshot
        // index, and the offset the follower asks for next
        { "1", 2, 5, 4 },   // the same transfer: continue
        { "3", 2, 5, 0 },   // another sender
        { "1", 3, 5, 0 },   // the same sender in a later term
        { "1", 2, 6, 0 },   // another snapshot
    };

    [Theory]
    [MemberData(nameof(SecondChunks))]
    public void OnlyChunksOfTheSameTransferAreAssembled(string from, long term, long snapshotIndex, long nextOffset)
    {
        var follower = Nodes.Restored(Nodes.Config("2"), term: 2, vote: null, commit: 1, 1);
        follower.Step(new InstallSnapshot("1", "2", 2, 5, 2, 0, [1, 2], Done: false));
        Nodes.Flush(follower);

        follower.Step(new InstallSnapshot(from, "2", term, snapshotIndex, 2, 2, [3, 4], Done: false));

        var reply = Assert.IsType<InstallSnapshotReply>(Assert.Single(Nodes.Sent(follower)));
        Assert.Equal((snapshotIndex, nextOffset), (reply.SnapshotIndex, reply.NextOffset));
    }
}
