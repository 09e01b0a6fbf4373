using OrleansRaft.Core.Membership;

namespace OrleansRaft.Core.Tests.Interaction;

/// <summary>Membership changes, leadership transfer and compaction, and what a node knows of them.</summary>
public sealed partial class InteractionEnv
{
    /// <summary><c>propose-conf-change ID add-learner|promote|remove PEER</c>.</summary>
    private void ProposeConfChange(ScriptCommand command)
    {
        var node = Node(command.Arg(0));
        var type = command.Arg(1) switch
        {
            "add-learner" => ConfigChangeType.AddLearner,
            "promote" => ConfigChangeType.Promote,
            "remove" => ConfigChangeType.Remove,
            var other => throw new ScriptException($"propose-conf-change: '{other}' is not add-learner, promote or remove."),
        };
        PrintResult(node.Raft.ProposeConfigChange(new ConfigChange(type, command.Arg(2))));
        ReportSoftState(node);
    }

    /// <summary><c>transfer-leadership FROM TO</c>: asks the leader FROM to hand over to TO.</summary>
    private void TransferLeadership(ScriptCommand command)
    {
        var node = Node(command.Arg(0));
        PrintResult(node.Raft.TransferLeadership(command.Arg(1)));
        ReportSoftState(node);
    }

    /// <summary><c>compact ID INDEX</c>: the node's host snapshots its state machine at INDEX and compacts its log.</summary>
    private void Compact(ScriptCommand command)
    {
        var node = Node(command.Arg(0));
        var snapshot = node.Compact(command.IntArg(1));
        Print($"{node.Id} snapshot {Describe.Position(snapshot.Term, snapshot.Index)} ({Describe.Configuration(snapshot.Configuration)}); "
            + $"log starts at {node.Raft.FirstIndex}");
    }

    /// <summary><c>config [ID...]</c>: the configuration in force on each node, and where it comes from (the index
    /// of the latest change entry in its log, or its base: the bootstrap list or its snapshot's).</summary>
    private void Config(ScriptCommand command)
    {
        foreach (var node in NodesOrAll(command))
        {
            var raft = node.Raft;
            var from = raft.ConfigurationIndex == 0 ? "base" : $"index {raft.ConfigurationIndex}";
            var committed = raft.ConfigurationIndex > raft.CommitIndex ? ", uncommitted" : "";
            Print($"{node.Id}: {Describe.Configuration(raft.Configuration)} ({from}{committed})");
        }
    }

    /// <summary><c>progress ID</c>: the leader's view of every other member (etcd's tracker status).</summary>
    private void Progress(ScriptCommand command)
    {
        var raft = Node(command.Arg(0)).Raft;
        if (raft.Role != RaftRole.Leader) throw new ScriptException($"progress: {raft.Id} is not the leader.");
        if (raft.LeadTransferee is { } transferee) Print($"transferring leadership to {transferee}");
        foreach (var f in raft.Followers)
            Print($"{f.Peer}: {(f.IsLearner ? "learner" : "voter")} {f.State} match={f.Match} next={f.Next}"
                + (f.Responsive ? "" : " unresponsive"));
    }

    private void PrintResult(ProposeResult result)
    {
        if (result.Accepted)
        {
            Print(result.Index == 0 ? "accepted" : $"accepted at {Describe.Position(result.Term, result.Index)}");
            return;
        }
        Print($"rejected: {result.Reason}, leader {result.LeaderHint ?? "none"}" + (result.Detail is null ? "" : $": {result.Detail}"));
    }
}
