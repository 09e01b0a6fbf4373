using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// A follower that is being sent a snapshot is a live member like any other: its answers (to the chunks, or to the
/// heartbeats) count as activity for CheckQuorum (thesis §6.2), and its heartbeat answers confirm ReadIndex rounds
/// (thesis §6.4). Otherwise a leader whose majority includes a follower catching up by snapshot would step down, and
/// its reads would stall, for the length of the transfer.
/// </summary>
public sealed class SnapshotFollowerIsAliveRuleTests
{
    [Theory]
    [InlineData("chunk answers")]
    [InlineData("heartbeat answers")]
    public void AFollowerReceivingASnapshotKeepsTheLeadersQuorum(string answers)
    {
        var leader = LeaderSendingSnapshotTo2(checkQuorum: true);

        for (var tick = 0; tick < 3 * Election; tick++)
        {
            leader.Tick();
            Nodes.Flush(leader);
            leader.Step(answers == "chunk answers"
                ? new InstallSnapshotReply("2", "1", leader.Term, 3, 0)
                : new HeartbeatReply("2", "1", leader.Term, 0));
            Nodes.Flush(leader);
        }

        Assert.Equal(RaftRole.Leader, leader.Role);
    }

    [Fact]
    public void AFollowerReceivingASnapshotConfirmsReadRounds()
    {
        var leader = LeaderSendingSnapshotTo2(checkQuorum: false);

        leader.ReadIndex(1);
        var round = Nodes.Sent(leader).OfType<Heartbeat>().Single(h => h.To == "2").ReadRound;
        leader.Step(new HeartbeatReply("2", "1", leader.Term, round));

        Assert.Equal([1L], Nodes.Flush(leader).SelectMany(r => r.ReadStates).Select(r => r.Context));
    }

    /// <summary>Leader 1 commits entry 3 with follower 3, compacts through it, and is sending its snapshot to follower 2;
    /// follower 3 then falls silent.</summary>
    private static RaftNode LeaderSendingSnapshotTo2(bool checkQuorum)
    {
        var leader = ReadyLeader(Conf("1 2 3"), checkQuorum: checkQuorum);
        leader.Propose([3]);
        Nodes.Flush(leader);
        leader.Step(Nodes.Ack(leader, "3", 3));
        Nodes.Flush(leader);
        leader.CreateSnapshot(3, [3]);
        leader.Compact(3);
        leader.Step(new AppendEntriesReply("2", "1", leader.Term, Success: false, 3, ConflictTerm: 0, ConflictIndex: 3));
        Assert.IsType<InstallSnapshot>(Assert.Single(Nodes.Sent(leader)));
        return leader;
    }
}
