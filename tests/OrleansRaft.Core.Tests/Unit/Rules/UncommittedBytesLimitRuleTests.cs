using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// Flow control on proposals (etcd's <c>MaxUncommittedEntriesSize</c>): a leader refuses a proposal that would take the
/// bytes of its own proposals not committed yet past <see cref="RaftConfig.MaxUncommittedBytes"/> (one proposal is
/// always taken when none is pending). A commit releases exactly the bytes of the proposals it commits: the leader's
/// other uncommitted proposals still count, and entries it did not propose (earlier terms' entries, its no-op)
/// release nothing.
/// </summary>
public sealed class UncommittedBytesLimitRuleTests
{
    // Each proposal counts 100 + 24 bytes: two fit under the limit, three do not.
    private const int Command = 100;
    private const long Limit = 330;

    public static TheoryData<string, string, string> Sequences => new()
    {
        // terms of the log the leader was elected with, operations ("+" a proposal, "aN" follower 2 acknowledges
        // through N), which proposals are taken
        { "", "+ + +", "++-" },
        { "", "+ + + a2 + +", "++-+-" },     // entry 2 commits: the proposal at 3 still counts
        { "", "+ + a3 + + +", "++++-" },     // both commit: the limit is free again
        { "1 1", "+ a3 + +", "++-" },        // earlier entries and the no-op commit: nothing of this leader's is released
        { "1 1", "+ a4 + + +", "+++-" },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void OnlyTheLeadersOwnUncommittedProposalsCount(string terms, string operations, string taken)
    {
        var config = Nodes.Config() with { MaxEntryBytes = Command, MaxUncommittedBytes = Limit };
        var log = terms.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
        var leader = Nodes.ElectLeader(new RaftNode(config, new PersistedState(new HardState(1, null, log.Length > 0 ? 1 : 0), Nodes.Log(log))));

        var outcomes = "";
        foreach (var op in operations.Split(' '))
        {
            if (op == "+") outcomes += leader.Propose(new byte[Command]).Accepted ? '+' : '-';
            else leader.Step(Nodes.Ack(leader, "2", long.Parse(op[1..])));
            Nodes.Flush(leader);
        }

        Assert.Equal(taken, outcomes);
    }
}
