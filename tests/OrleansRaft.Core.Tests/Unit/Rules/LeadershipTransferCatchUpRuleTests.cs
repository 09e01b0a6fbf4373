using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;
using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// Thesis §3.10, leadership transfer, step 2: "the prior leader transfers its log entries to the target server". A
/// transfer to a target that holds the whole log sends TimeoutNow at once; to one that lags, the next append goes out
/// at once, without waiting for an answer or a heartbeat.
/// </summary>
public sealed class LeadershipTransferCatchUpRuleTests
{
    public static TheoryData<string, string> Targets => new()
    {
        // what target 2 lacks (one entry per append), what the transfer sends it at once
        { "nothing", "TimeoutNow" },
        { "entry 4 (3 in flight)", "append of 4" },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public void ATransferBringsTheTargetUpToDateAtOnce(string lacks, string sent)
    {
        var leader = ReadyLeader(Conf("1 2 3"), configure: c => c with { MaxMessageBytes = 1 });
        if (lacks != "nothing")
        {
            leader.Propose([3]);
            leader.Propose([4]);
            Nodes.Flush(leader);
        }

        Assert.True(leader.TransferLeadership("2").Accepted);

        var message = Assert.Single(Nodes.Sent(leader), m => m.To == "2");
        if (sent == "TimeoutNow") Assert.IsType<TimeoutNow>(message);
        else Assert.Equal([4L], Assert.IsType<AppendEntries>(message).Entries.Select(e => e.Index));
    }
}
