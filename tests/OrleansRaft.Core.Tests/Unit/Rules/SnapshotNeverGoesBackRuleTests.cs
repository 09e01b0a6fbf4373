using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// §7, the follower's side: a snapshot whose index the follower has already committed adds nothing (its committed
/// log already holds that prefix, Log Matching) and must never replace the log. The follower does not even start to
/// collect its chunks: it answers the first one as it answers an append below its commit index, with a success at
/// its commit index, so that the leader moves on.
/// </summary>
public sealed class SnapshotNeverGoesBackRuleTests
{
    public static TheoryData<long, string> Chunks => new()
    {
        // index of the snapshot whose first chunk (of several) reaches a follower with log 1 1 1 committed through 3,
        // the answer: "ack 3" (the commit index) or "want 2" (the next offset)
        { 2, "ack 3" },
        { 3, "ack 3" },   // exactly the commit index: nothing to install either
        { 4, "want 2" },
    };

    [Theory]
    [MemberData(nameof(Chunks))]
    public void AFollowerNeverInstallsASnapshotItsCommitIndexCovers(long snapshotIndex, string answer)
    {
        var follower = Nodes.Restored(Nodes.Config("2"), term: 2, vote: null, commit: 3, 1, 1, 1);
        Nodes.Flush(follower);

        follower.Step(new InstallSnapshot("1", "2", 2, snapshotIndex, 1, 0, [1, 2], Done: false));

        var reply = Assert.Single(Nodes.Sent(follower));
        if (answer == "ack 3") Assert.Equal(new AppendEntriesReply("2", "1", 2, true, 3, 0, 0), reply);
        else Assert.Equal(new InstallSnapshotReply("2", "1", 2, snapshotIndex, 2), reply);
        Assert.Equal((3L, 1L), (follower.LastIndex, follower.FirstIndex));
    }
}
