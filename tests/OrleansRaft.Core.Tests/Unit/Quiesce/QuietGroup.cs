using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit.Quiesce;

/// <summary>Three nodes with PreVote, CheckQuorum and quiescence after <see cref="QuiesceTicks"/> ticks, node 1 elected.</summary>
internal sealed class QuietGroup
{
    public const int QuiesceTicks = 3;

    public QuietGroup(PlantedBugs bugs = PlantedBugs.None)
    {
        RaftNode Make(string id, int seed) => new(Nodes.Config(id, 3, preVote: true, checkQuorum: true, seed: seed) with
        {
            QuiesceTicks = QuiesceTicks,
            HeartbeatTicks = 2,
            Bugs = bugs,
        });
        Group = new Group(Make("1", 1), Make("2", 2), Make("3", 3));
        Group.Observe = (_, ready) =>
        {
            Sent.AddRange(ready.Messages);
            Served.AddRange(ready.ReadStates);
        };
        Nodes.TimeOut(Leader);
        Group.Stabilize();
        if (Leader.Role != RaftRole.Leader) throw new InvalidOperationException("node 1 was not elected");
    }

    public Group Group { get; }

    public RaftNode Leader => Group["1"];

    /// <summary>Every message handed out since the last <see cref="Sent"/>.Clear().</summary>
    public List<RaftMessage> Sent { get; } = [];

    /// <summary>Every read released to be served.</summary>
    public List<ReadState> Served { get; } = [];

    /// <summary>Ticks every node once per round, delivering in between, for <paramref name="rounds"/> rounds.</summary>
    public void Run(int rounds, params string[] only)
    {
        var ids = only.Length > 0 ? only : ["1", "2", "3"];
        for (var i = 0; i < rounds; i++)
        {
            foreach (var id in ids) Group[id].Tick();
            Group.Stabilize();
        }
    }

    /// <summary>Runs until the leader has quiesced; throws after <paramref name="limit"/> rounds.</summary>
    public void RunUntilQuiet(int limit = 50)
    {
        for (var i = 0; i < limit && !Leader.IsQuiescent; i++) Run(1);
        if (!Leader.IsQuiescent) throw new InvalidOperationException($"the leader did not quiesce in {limit} rounds");
    }

    public bool AllQuiescent => Group["1"].IsQuiescent && Group["2"].IsQuiescent && Group["3"].IsQuiescent;
}
