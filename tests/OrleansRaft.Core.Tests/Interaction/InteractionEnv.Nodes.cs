namespace OrleansRaft.Core.Tests.Interaction;

public sealed partial class InteractionEnv
{
    /// <summary>RaftConfig's own defaults, which scripts get unless they say otherwise.</summary>
    private static readonly RaftConfig Defaults = new() { Id = "1", Peers = ["1"] };

    /// <summary>The first <c>add-nodes</c>' settings: peers added later get the same ones, and the same bootstrap
    /// list (<see cref="RaftConfig.Peers"/>), which need not name them.</summary>
    private RaftConfig? _template;

    /// <summary><c>add-nodes N [prevote=] [checkquorum=] [election=] [heartbeat=] [max-inflight=]
    /// [max-msg-bytes=] [max-entry-bytes=] [max-uncommitted-bytes=] [max-promotion-lag=]</c>: the first call creates
    /// the group, nodes "1".."N", whose voters they are; a later call adds N new empty peers, numbered on, that belong
    /// to no configuration until a membership change adds them. Node i is seeded with i.</summary>
    private void AddNodes(ScriptCommand command)
    {
        var count = command.IntArg(0);
        if (_template is { } group)
        {
            AddEmptyPeers(command, group, count);
            return;
        }
        var peers = Enumerable.Range(1, count).Select(i => i.ToString()).ToArray();
        var template = new RaftConfig
        {
            Id = peers[0],
            Peers = peers,
            PreVote = command.BoolOption("prevote", Defaults.PreVote),
            CheckQuorum = command.BoolOption("checkquorum", Defaults.CheckQuorum),
            ElectionTicks = (int)command.LongOption("election", RaftConfig.DefaultElectionTicks),
            HeartbeatTicks = (int)command.LongOption("heartbeat", RaftConfig.DefaultHeartbeatTicks),
            MaxInflightMessages = (int)command.LongOption("max-inflight", RaftConfig.DefaultMaxInflightMessages),
            MaxMessageBytes = (int)command.LongOption("max-msg-bytes", RaftConfig.DefaultMaxMessageBytes),
            MaxEntryBytes = (int)command.LongOption("max-entry-bytes", RaftConfig.DefaultMaxEntryBytes),
            MaxUncommittedBytes = command.LongOption("max-uncommitted-bytes", RaftConfig.DefaultMaxUncommittedBytes),
            MaxPromotionLagEntries = command.LongOption("max-promotion-lag", RaftConfig.DefaultMaxPromotionLagEntries),
            QuiesceTicks = (int)command.LongOption("quiesce", 0),
        };
        _template = template;
        for (var i = 0; i < count; i++)
            _nodes.Add(new InteractionNode(template with { Id = peers[i], RandomSeed = i + 1 }));
        Print($"{count} nodes: prevote={Lower(template.PreVote)} checkquorum={Lower(template.CheckQuorum)} "
            + $"election={template.ElectionTicks} heartbeat={template.HeartbeatTicks}"
            + (template.QuiesceTicks > 0 ? $" quiesce={template.QuiesceTicks}" : ""));
    }

    /// <summary>New peers with empty storage, configured like the group's first ones (options are refused: a group
    /// runs one configuration of timers).</summary>
    private void AddEmptyPeers(ScriptCommand command, RaftConfig template, int count)
    {
        if (command.HasOptions)
            throw new ScriptException("add-nodes: peers added to an existing group take its settings; give no options.");
        for (var i = 0; i < count; i++)
        {
            var id = (_nodes.Count + 1).ToString();
            _nodes.Add(new InteractionNode(template with { Id = id, RandomSeed = _nodes.Count + 1 }));
            Print($"{id} added: empty, bootstrap voters [{string.Join(", ", template.Peers)}], {_nodes[^1].Raft.Configuration} in force");
        }
    }

    /// <summary><c>set-state ID term=T [vote=V] [commit=C] [log=t1,t2,...]</c>: replaces what the node persisted
    /// (entry i gets the i-th term, empty data) and restarts it. Builds divergent logs like Figure 7's.</summary>
    private void SetState(ScriptCommand command)
    {
        var node = Node(command.Arg(0));
        var terms = command.ListOption("log").Select(long.Parse).ToList();
        var entries = terms.Select((term, i) => new Entry(i + 1, term, EntryType.Normal, [])).ToList();
        var hard = new HardState(command.LongOption("term", terms.LastOrDefault()), command.Option("vote"), command.LongOption("commit", 0));
        node.Load(hard, entries);
        PrintRestarted(node);
    }

    /// <summary><c>restart ID</c>: crash and recover from the node's persisted state.</summary>
    private void Restart(ScriptCommand command)
    {
        foreach (var node in NodesOrAll(command))
        {
            node.Restart();
            PrintRestarted(node);
        }
    }

    private void PrintRestarted(InteractionNode node)
    {
        var raft = node.Raft;
        Print($"{node.Id} restarted: {Describe.Hard(raft.CurrentHardState)} last={Describe.Position(raft.LastTerm, raft.LastIndex)}");
        node.LastSeen = raft.SoftState;
        node.WasQuiescent = raft.IsQuiescent;
    }

    /// <summary><c>isolate ID...</c>: cut the nodes off from everyone until <c>recover</c>.</summary>
    private void Isolate(ScriptCommand command)
    {
        if (command.Args.Count == 0) throw new ScriptException("isolate: name at least one node.");
        foreach (var node in NodesOrAll(command)) _network.Isolate(node.Id);
    }

    /// <summary><c>recover [ID...]</c>: reconnect the nodes, or heal the whole network.</summary>
    private void Recover(ScriptCommand command)
    {
        if (command.Args.Count == 0) _network.Recover();
        foreach (var id in command.Args) _network.Recover(Node(id).Id);
    }

    /// <summary><c>raft-log ID</c>: every entry the node holds, committed or not.</summary>
    private void RaftLog(ScriptCommand command)
    {
        var raft = Node(command.Arg(0)).Raft;
        if (raft.LastIndex < raft.FirstIndex) Print("log is empty");
        for (var i = raft.FirstIndex; i <= raft.LastIndex; i++) Print(Describe.Entry(raft.EntryAt(i)!));
    }

    /// <summary><c>status [ID...]</c>: role, hard state and log marks of each node.</summary>
    private void Status(ScriptCommand command)
    {
        foreach (var node in NodesOrAll(command))
        {
            var raft = node.Raft;
            Print($"{node.Id}: {raft.Role} term={raft.Term} vote={raft.Vote ?? "none"} leader={raft.Leader ?? "none"} "
                + $"commit={raft.CommitIndex} applied={raft.AppliedIndex} stable={raft.StableIndex} "
                + $"last={Describe.Position(raft.LastTerm, raft.LastIndex)}{(raft.IsQuiescent ? " quiescent" : "")}");
        }
    }

    private static string Lower(bool value) => value ? "true" : "false";
}
