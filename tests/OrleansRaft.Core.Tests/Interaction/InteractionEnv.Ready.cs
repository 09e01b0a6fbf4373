using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Interaction;

public sealed partial class InteractionEnv
{
    private const int MaxStabilizeRounds = 10_000;

    /// <summary><c>process-ready [ID...]</c>: each node carries out one Ready (persist, send, apply, advance).</summary>
    private void ProcessReady(ScriptCommand command)
    {
        foreach (var node in NodesOrAll(command))
        {
            if (node.Raft.HasReady) HandleReady(node);
            else if (command.Args.Count > 0) Print($"> {node.Id} has no Ready");
        }
    }

    /// <summary><c>deliver-msgs [to=IDS] [from=IDS] [type=KIND] [drop=IDS]</c>: delivers the in-flight messages
    /// that match the filters, in send order per recipient; those addressed to a node in drop are lost instead.</summary>
    private void DeliverMessages(ScriptCommand command)
    {
        var to = command.ListOption("to");
        var from = command.ListOption("from");
        var type = command.Option("type");
        var drop = command.ListOption("drop");
        bool Selected(RaftMessage m) =>
            (to.Count == 0 || to.Contains(m.To)) && (from.Count == 0 || from.Contains(m.From))
            && (type is null || Describe.Kind(m) == type);
        var delivered = false;
        foreach (var node in _nodes)
            delivered |= Deliver(node, m => m.To == node.Id && Selected(m), drop.Contains(node.Id));
        if (!delivered) Print("no messages");
    }

    /// <summary><c>stabilize [ID...]</c>: handles Readies and delivers messages among the named nodes (all by
    /// default) until none has anything left to do. Messages to other nodes stay in flight.</summary>
    private void Stabilize(ScriptCommand command)
    {
        var nodes = NodesOrAll(command);
        for (var round = 0; round < MaxStabilizeRounds; round++)
        {
            var progressed = false;
            foreach (var node in nodes)
            {
                if (!node.Raft.HasReady) continue;
                HandleReady(node);
                progressed = true;
            }
            foreach (var node in nodes)
                progressed |= Deliver(node, m => m.To == node.Id, dropAll: false);
            if (!progressed) return;
        }
        throw new ScriptException($"stabilize: still busy after {MaxStabilizeRounds} rounds.");
    }

    private void HandleReady(InteractionNode node)
    {
        Print($"> {node.Id} handling Ready");
        _indent += 2;
        var ready = node.PersistAndApply();
        foreach (var line in Describe.Ready(ready)) Print(line);
        _network.Send(ready.Messages);
        node.Raft.Advance(ready);
        ReportSoftState(node);
        _indent -= 2;
    }

    /// <summary>Steps the matching in-flight messages into <paramref name="node"/>; returns whether there were any.</summary>
    private bool Deliver(InteractionNode node, Func<RaftMessage, bool> filter, bool dropAll)
    {
        var messages = _network.Take(filter);
        if (messages.Count == 0) return false;
        Print($"> {node.Id} receiving messages");
        _indent += 2;
        foreach (var (message, lost) in messages)
        {
            if (dropAll || lost)
            {
                Print($"{Describe.Message(message)} (dropped)");
                continue;
            }
            Print(Describe.Message(message));
            node.Raft.Step(message);
            _indent += 2;
            ReportSoftState(node);
            _indent -= 2;
        }
        _indent -= 2;
        return true;
    }
}
