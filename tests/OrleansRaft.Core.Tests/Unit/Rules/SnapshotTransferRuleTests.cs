using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// §7, the leader's side of InstallSnapshot, one chunk at a time: only the answer to the chunk sent last moves the
/// transfer on; an answer for another snapshot, or one that does not ask for the end of the last chunk, is ignored; a
/// transfer with no progress between two heartbeat answers is resent from the offset the follower last asked for;
/// and once the leader has taken a newer snapshot, the transfer starts over with that one.
/// </summary>
public sealed class SnapshotTransferRuleTests
{
    public static TheoryData<string, string, string> Cues => new()
    {
        // whether the leader took a newer snapshot (at 4) meanwhile, what follower 2 (sent the first 2-byte chunk of
        // the 5-byte snapshot at 3) answers (", " between answers), and what goes to it after the last answer:
        // "index@offset" of the chunk, or "nothing"
        { "same", "ask 2", "3@2" },
        { "same", "ask 0", "nothing" },                  // a duplicate answer (or one to an older chunk)
        { "same", "ask 2 for snapshot 2", "nothing" },   // an answer about another snapshot
        { "same", "reject 2", "nothing" },               // a rejection of an append sent before the snapshot
        { "newer", "ask 2", "4@0" },                     // start over with the newer snapshot, from its start
        { "same", "heartbeat", "nothing" },              // the chunk went out since the last heartbeat answer
        { "same", "heartbeat, heartbeat", "3@0" },        // nothing moved: resend from where the follower last asked
        { "newer", "heartbeat, heartbeat", "4@0" },
        { "same", "ask 2, ask 4, ask 5", "nothing" },    // every byte is there: only the install's answer moves it on
    };

    [Theory]
    [MemberData(nameof(Cues))]
    public void OnlyTheAnswerToTheLastChunkOrAStallMovesTheTransfer(string snapshot, string answer, string expected)
    {
        var leader = ReadyLeader(Conf("1 2 3"), configure: c => c with { MaxSnapshotChunkBytes = 2 });
        CommitThrough(leader, 3);
        leader.CreateSnapshot(3, [1, 2, 3, 4, 5]);
        leader.Compact(3);
        leader.Step(new AppendEntriesReply("2", "1", leader.Term, Success: false, 3, ConflictTerm: 0, ConflictIndex: 3));
        Assert.Equal((3L, 0L), Chunk(Assert.Single(Nodes.Sent(leader))));
        if (snapshot == "newer")
        {
            CommitThrough(leader, 4);
            leader.CreateSnapshot(4, [6, 7, 8]);
        }

        var sent = new List<RaftMessage>();
        foreach (var cue in answer.Split(", "))
        {
            leader.Step(cue switch
            {
                "heartbeat" => new HeartbeatReply("2", "1", leader.Term, 0),
                "ask 2 for snapshot 2" => new InstallSnapshotReply("2", "1", leader.Term, 2, 2),
                "reject 2" => new AppendEntriesReply("2", "1", leader.Term, Success: false, 2, ConflictTerm: 0, ConflictIndex: 2),
                _ => new InstallSnapshotReply("2", "1", leader.Term, 3, long.Parse(cue[4..])),
            });
            sent = [.. Nodes.Sent(leader).Where(m => m.To == "2")];
        }

        if (expected == "nothing") Assert.Empty(sent);
        else
        {
            var parts = expected.Split('@');
            Assert.Equal((long.Parse(parts[0]), long.Parse(parts[1])), Chunk(Assert.Single(sent)));
        }
    }

    /// <summary>Proposes up to <paramref name="index"/> and has follower 3 acknowledge it, so that it commits and is applied.</summary>
    private static void CommitThrough(RaftNode leader, long index)
    {
        while (leader.LastIndex < index) leader.Propose([(byte)leader.LastIndex]);
        Nodes.Flush(leader);
        leader.Step(Nodes.Ack(leader, "3", index));
        Nodes.Flush(leader);
    }

    private static (long Index, long Offset) Chunk(RaftMessage message)
    {
        var chunk = Assert.IsType<InstallSnapshot>(message);
        return (chunk.SnapshotIndex, chunk.Offset);
    }
}
