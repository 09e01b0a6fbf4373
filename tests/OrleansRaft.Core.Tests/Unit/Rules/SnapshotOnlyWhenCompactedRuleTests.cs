using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// §7: the leader sends a snapshot "to followers that lag behind" only when it has discarded the entry the follower
/// needs next: an append must name the entry before the first it carries (index and term), so a snapshot is needed
/// exactly when that entry is below the compaction point. The compaction point itself is still known by its term:
/// an append (or a tail probe) from there is an append, not a snapshot. When a snapshot is needed, it is all that goes.
/// </summary>
public sealed class SnapshotOnlyWhenCompactedRuleTests
{
    public static TheoryData<long, string, string> Cases => new()
    {
        // the index the leader compacts through (its log ends there), what makes it send to follower 2 (acknowledged
        // through 2, entry 3 in flight, its window of one append full), what it sends
        { 3, "heartbeat reply", "append after 3" },   // the tail probe names entry 3, the compaction point
        { 3, "rejection at 3", "snapshot" },          // the probe from 3 names entry 2: discarded
        { 4, "heartbeat reply", "snapshot" },         // the tail probe would name entry 3: discarded
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ASnapshotGoesOnlyToAFollowerThatNeedsADiscardedEntry(long compactedThrough, string cue, string sent)
    {
        var leader = ReadyLeader(Conf("1 2 3"), configure: c => c with { MaxInflightMessages = 1 });
        while (leader.LastIndex < compactedThrough)
        {
            leader.Propose([(byte)leader.LastIndex]);
            Nodes.Flush(leader);
            leader.Step(Nodes.Ack(leader, "3", leader.LastIndex));
            Nodes.Flush(leader);
        }
        leader.CreateSnapshot(compactedThrough, [3]);
        leader.Compact(compactedThrough);

        leader.Step(cue == "heartbeat reply"
            ? new HeartbeatReply("2", "1", leader.Term, 0)
            : new AppendEntriesReply("2", "1", leader.Term, Success: false, 3, ConflictTerm: 0, ConflictIndex: 3));

        var message = Assert.Single(Nodes.Sent(leader), m => m.To == "2");
        if (sent == "snapshot") Assert.Equal(compactedThrough, Assert.IsType<InstallSnapshot>(message).SnapshotIndex);
        else
        {
            var append = Assert.IsType<AppendEntries>(message);
            Assert.Equal((3, 2, 0), (append.PrevLogIndex, append.PrevLogTerm, append.Entries.Count));
        }
    }
}
