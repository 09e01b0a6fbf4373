using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// §7: the leader sends a snapshot "to followers that lag behind" only when it has discarded the entry the follower
/// needs next: an append must name the entry before the first it carries (index and term), so a snapshot is needed
/// exactly when that entry is below the compaction point. The compaction point itself is still known by its term:
/// an append (or a tail probe) from there is an append, not a snapshot.
/// </summary>
public sealed class SnapshotOnlyWhenCompactedRuleTests
{
    public static TheoryData<string, string> Cases => new()
    {
        // what makes the leader (log compacted through 3, last index 3) send to follower 2 (acknowledged through 2,
        // entry 3 in flight), what it sends
        { "heartbeat reply", "append after 3" },   // the tail probe names entry 3, the compaction point
        { "rejection at 3", "snapshot" },          // the probe from 3 names entry 2: discarded
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ASnapshotGoesOnlyToAFollowerThatNeedsADiscardedEntry(string cue, string sent)
    {
        var leader = ReadyLeader(Conf("1 2 3"));
        leader.Propose([3]);
        Nodes.Flush(leader);
        leader.Step(Nodes.Ack(leader, "3", 3));
        Nodes.Flush(leader);
        leader.CreateSnapshot(3, [3]);
        leader.Compact(3);

        leader.Step(cue == "heartbeat reply"
            ? new HeartbeatReply("2", "1", leader.Term, 0)
            : new AppendEntriesReply("2", "1", leader.Term, Success: false, 3, ConflictTerm: 0, ConflictIndex: 3));

        var message = Assert.Single(Nodes.Sent(leader), m => m.To == "2");
        if (sent == "snapshot") Assert.Equal(3, Assert.IsType<InstallSnapshot>(message).SnapshotIndex);
        else Assert.Equal((3, 2, 0), (Assert.IsType<AppendEntries>(message).PrevLogIndex, ((AppendEntries)message).PrevLogTerm, ((AppendEntries)message).Entries.Count));
    }
}
