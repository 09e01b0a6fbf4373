using System.Text;

namespace OrleansRaft.Core.Tests.Interaction;

public sealed partial class InteractionEnv
{
    /// <summary><c>campaign ID</c>: ticks the node until its election timeout fires. The core has no
    /// "campaign now" input (a real host only ever ticks), so this is exactly what a host would see.</summary>
    private void Campaign(ScriptCommand command)
    {
        var node = Node(command.Arg(0));
        var raft = node.Raft;
        if (raft.Role == RaftRole.Leader) throw new ScriptException($"campaign: {node.Id} is the leader.");
        // A campaign shows as a new role or term, except a pre-candidate's next pre-campaign, which
        // only shows as new messages: that needs an empty outbox to be seen.
        var hadReady = raft.HasReady;
        if (hadReady && raft.Role == RaftRole.PreCandidate)
            throw new ScriptException($"campaign: process {node.Id}'s Ready first.");
        var before = raft.SoftState;
        // The randomized timeout lies in [E, 2E).
        for (var ticks = 0; ticks < 2 * node.Config.ElectionTicks; ticks++)
        {
            raft.Tick();
            if (raft.SoftState != before || (!hadReady && raft.HasReady))
            {
                ReportSoftState(node);
                return;
            }
        }
        throw new ScriptException($"campaign: {node.Id} did not campaign within 2 election timeouts.");
    }

    /// <summary><c>tick ID N</c>.</summary>
    private void Tick(string id, int ticks)
    {
        var node = Node(id);
        for (var i = 0; i < ticks; i++)
        {
            node.Raft.Tick();
            ReportSoftState(node);
        }
    }

    /// <summary><c>tick-election [ID...]</c> / <c>tick-heartbeat [ID...]</c>: ticks each node for one base election
    /// timeout E (a follower's randomized timeout may be longer) or one heartbeat interval.</summary>
    private void TickEach(ScriptCommand command, Func<InteractionNode, int> ticks)
    {
        foreach (var node in NodesOrAll(command)) Tick(node.Id, ticks(node));
    }

    /// <summary><c>propose ID DATA [size=N]</c>: DATA repeated up to N bytes when size is given.</summary>
    private void Propose(ScriptCommand command)
    {
        var node = Node(command.Arg(0));
        var text = command.Arg(1);
        var size = (int)command.LongOption("size", text.Length);
        var data = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(text, size / text.Length + 1))[..size]);
        PrintResult(node.Raft.Propose(data));
        ReportSoftState(node);
    }

    /// <summary><c>read-index ID CONTEXT</c>.</summary>
    private void ReadIndex(ScriptCommand command)
    {
        var node = Node(command.Arg(0));
        var result = node.Raft.ReadIndex(command.IntArg(1));
        Print(result.Accepted ? "accepted" : $"rejected: {result.Reason}, leader {result.LeaderHint ?? "none"}");
        ReportSoftState(node);
    }

    /// <summary><c>wake ID...</c>: what the host does when its cluster's membership changes.</summary>
    private void Wake(ScriptCommand command)
    {
        foreach (var node in NodesOrAll(command))
        {
            node.Raft.Wake();
            ReportSoftState(node);
        }
    }
}
