namespace OrleansRaft.Core.Tests.Interaction;

/// <summary>
/// Runs interaction-script commands against a group of <see cref="RaftNode"/>s wired to in-memory storage
/// and a <see cref="Network"/> the script controls. Every command returns the lines it printed: the
/// Readies handled, the messages delivered or dropped, and each change of a node's role, term or leader.
/// </summary>
public sealed partial class InteractionEnv
{
    private readonly List<InteractionNode> _nodes = [];
    private readonly Network _network = new();
    private readonly List<string> _output = [];
    private int _indent;

    public IReadOnlyList<InteractionNode> Nodes => _nodes;

    public Network Network => _network;

    /// <summary>Runs one command line. Failures print as <c>error: ...</c>, so scripts can expect them too.</summary>
    public IReadOnlyList<string> Run(string line)
    {
        _output.Clear();
        _indent = 0;
        try
        {
            var command = ScriptCommand.Parse(line);
            Dispatch(command);
            command.CheckAllOptionsUsed();
        }
        catch (Exception e) when (e is ScriptException or InvalidOperationException or ArgumentException)
        {
            _indent = 0;
            Print($"error: {e.Message}");
        }
        if (_output.Count == 0) _output.Add("ok");
        return [.. _output];
    }

    private void Dispatch(ScriptCommand command)
    {
        switch (command.Name)
        {
            case "add-nodes": AddNodes(command); break;
            case "set-state": SetState(command); break;
            case "restart": Restart(command); break;
            case "isolate": Isolate(command); break;
            case "recover": Recover(command); break;
            case "campaign": Campaign(command); break;
            case "tick": Tick(command.Arg(0), command.IntArg(1)); break;
            case "tick-election": TickEach(command, n => n.Config.ElectionTicks); break;
            case "tick-heartbeat": TickEach(command, n => n.Config.HeartbeatTicks); break;
            case "propose": Propose(command); break;
            case "read-index": ReadIndex(command); break;
            case "process-ready": ProcessReady(command); break;
            case "deliver-msgs": DeliverMessages(command); break;
            case "stabilize": Stabilize(command); break;
            case "raft-log": RaftLog(command); break;
            case "status": Status(command); break;
            case "propose-conf-change": ProposeConfChange(command); break;
            case "transfer-leadership": TransferLeadership(command); break;
            case "compact": Compact(command); break;
            case "config": Config(command); break;
            case "progress": Progress(command); break;
            case "wake": Wake(command); break;
            default: throw new ScriptException($"unknown command '{command.Name}'.");
        }
    }

    private InteractionNode Node(string id) =>
        _nodes.FirstOrDefault(n => n.Id == id) ?? throw new ScriptException($"no node '{id}'.");

    /// <summary>The nodes named by the positional arguments, or all nodes when there are none.</summary>
    private IReadOnlyList<InteractionNode> NodesOrAll(ScriptCommand command) =>
        command.Args.Count == 0 ? _nodes : [.. command.Args.Select(Node)];

    private void Print(string line) => _output.Add(new string(' ', _indent) + line);

    /// <summary>Prints the node's role, term and leader if any of them changed since last printed.</summary>
    private void ReportSoftState(InteractionNode node)
    {
        if (node.Raft.IsQuiescent != node.WasQuiescent)
        {
            node.WasQuiescent = node.Raft.IsQuiescent;
            Print(node.WasQuiescent ? $"{node.Id} is quiescent" : $"{node.Id} woke");
        }
        var soft = node.Raft.SoftState;
        if (soft == node.LastSeen) return;
        node.LastSeen = soft;
        Print(Describe.Soft(node.Id, soft));
    }
}
