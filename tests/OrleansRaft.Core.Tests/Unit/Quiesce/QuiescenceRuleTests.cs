using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit.Quiesce;

/// <summary>The rules written on <c>RaftNode.Quiesce.cs</c>, one test each.</summary>
public sealed class QuiescenceRuleTests
{
    [Fact]
    public void AnIdleCaughtUpGroupGoesQuietAndTicksDoNothing()
    {
        var group = new QuietGroup();
        group.RunUntilQuiet();
        Assert.True(group.AllQuiescent);
        group.Sent.Clear();
        group.Run(100);
        Assert.Empty(group.Sent);
        Assert.Equal(RaftRole.Leader, group.Leader.Role);
        Assert.Equal(1, group.Leader.Term);
    }

    [Fact]
    public void ALeaderDoesNotQuiesceWhileAMemberLacksAnEntry()
    {
        var group = new QuietGroup();
        group.Group.Drop = m => m is AppendEntries { To: "3" };
        group.Leader.Propose([1]);
        group.Run(40);
        Assert.Equal(group.Leader.LastIndex, group.Leader.CommitIndex);
        Assert.False(group.Leader.IsQuiescent);
        group.Group.Drop = _ => false;
        group.RunUntilQuiet();
        Assert.Equal(group.Leader.LastIndex, group.Group["3"].LastIndex);
    }

    /// <summary>Rule 2, and the planted bug it catches: a follower whose log does not end at the quiescing heartbeat's
    /// commit index answers it instead of going quiet.</summary>
    [Theory]
    [InlineData(PlantedBugs.None, false)]
    [InlineData(PlantedBugs.QuiesceWhileBehind, true)]
    internal void AFollowerBehindAnswersTheQuiescingHeartbeat(PlantedBugs bugs, bool quiesces)
    {
        var follower = new RaftNode(Nodes.Config("2", 3) with { QuiesceTicks = QuietGroup.QuiesceTicks, Bugs = bugs });
        follower.Step(new Heartbeat("1", "2", 1, 0, 0));
        Nodes.Flush(follower);
        follower.Step(new Heartbeat("1", "2", 1, 5, 0, Quiesce: true));
        var sent = Nodes.Sent(follower);
        Assert.Equal(quiesces, follower.IsQuiescent);
        if (quiesces) Assert.Empty(sent);
        else Assert.Equal(new HeartbeatReply("2", "1", 1, 0, Quiesce: true), Assert.Single(sent));
    }

    [Fact]
    public void TheFollowersAnswerWakesTheLeader()
    {
        var group = new QuietGroup();
        group.RunUntilQuiet();
        group.Sent.Clear();
        group.Leader.Step(new HeartbeatReply("2", "1", 1, 0, Quiesce: true));
        Assert.False(group.Leader.IsQuiescent);
        // Awake, it heartbeats again: the follower hears from it and can catch up.
        group.Run(2, "1");
        Assert.Contains(group.Sent, m => m is Heartbeat { To: "2", Quiesce: false });
    }

    /// <summary>Rule 3: everything wakes a quiet node but its quiescing heartbeat, and at a leader, late answers to
    /// heartbeats it sent before going quiet.</summary>
    [Theory]
    [InlineData("heartbeat", "2", true)]
    [InlineData("quiescing heartbeat", "2", false)]
    [InlineData("append", "2", true)]
    [InlineData("prevote", "2", true)]
    [InlineData("prevote", "1", true)]
    [InlineData("late heartbeat reply", "1", false)]
    [InlineData("append reply", "1", true)]
    public void WhatWakesAQuietNode(string kind, string to, bool wakes)
    {
        var group = new QuietGroup();
        group.RunUntilQuiet();
        var node = group.Group[to];
        var from = to == "1" ? "2" : "1";
        var last = node.LastIndex;
        RaftMessage message = kind switch
        {
            "heartbeat" => new Heartbeat(from, to, 1, last, 0),
            "quiescing heartbeat" => new Heartbeat(from, to, 1, last, 0, Quiesce: true),
            "append" => new AppendEntries(from, to, 1, last, 1, [], last),
            "prevote" => new RequestVote("3", to, 2, last, 1, PreVote: true),
            "late heartbeat reply" => new HeartbeatReply(from, to, 1, 0),
            "append reply" => new AppendEntriesReply(from, to, 1, true, last, 0, 0),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        node.Step(message);
        Assert.Equal(!wakes, node.IsQuiescent);
    }

    [Fact]
    public void AProposalAtAFollowerWakesItAndNamesTheLeader()
    {
        var group = new QuietGroup();
        group.RunUntilQuiet();
        var result = group.Group["2"].Propose([1]);
        Assert.Equal(RejectReason.NotLeader, result.Reason);
        Assert.Equal("1", result.LeaderHint);
        Assert.False(group.Group["2"].IsQuiescent);
        Assert.True(group.Group["3"].IsQuiescent);
    }

    /// <summary>Rule 4, and the planted bug it catches: a quiet leader confirms a read with a heartbeat round, so a
    /// leader cut off while quiet never serves one.</summary>
    [Theory]
    [InlineData(PlantedBugs.None, false)]
    [InlineData(PlantedBugs.QuiescentReadWithoutRound, true)]
    internal void AQuietLeaderCutOffServesNoRead(PlantedBugs bugs, bool served)
    {
        var group = new QuietGroup(bugs);
        group.RunUntilQuiet();
        group.Group.Drop = m => m.From == "1" || m.To == "1";
        Assert.True(group.Leader.ReadIndex(7).Accepted);
        group.Run(30, "1");
        Assert.Equal(served, group.Served.Any(r => r.Context == 7));
    }

    /// <summary>The host's wake-up on a membership change: followers of a leader that died while the group was quiet
    /// start their timers again and elect a new leader.</summary>
    [Fact]
    public void WokenFollowersReplaceADeadLeader()
    {
        var group = new QuietGroup();
        group.RunUntilQuiet();
        group.Group.Drop = m => m.From == "1" || m.To == "1";
        group.Run(200, "2", "3");
        Assert.Equal(1, group.Group["2"].Term);
        group.Group["2"].Wake();
        group.Group["3"].Wake();
        group.Run(100, "2", "3");
        var leaders = new[] { "2", "3" }.Where(id => group.Group[id].Role == RaftRole.Leader).ToList();
        Assert.Single(leaders);
        Assert.True(group.Group[leaders[0]].Term > 1);
    }

    [Fact]
    public void ANegativeQuiesceTicksIsRefusedByName()
    {
        var error = Assert.Throws<RaftConfigException>(() => new RaftNode(Nodes.Config() with { QuiesceTicks = -1 }));
        Assert.Equal(nameof(RaftConfig.QuiesceTicks), error.Option);
    }
}
