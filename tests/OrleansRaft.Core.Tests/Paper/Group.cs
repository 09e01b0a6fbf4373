using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Paper;

/// <summary>A few nodes wired to a perfect network (unless a message is dropped on purpose): enough to
/// let whole exchanges play out, as in etcd's <c>network</c> test helper.</summary>
internal sealed class Group
{
    private readonly Dictionary<string, RaftNode> _nodes;
    private readonly Queue<RaftMessage> _inFlight = new();

    public Group(params RaftNode[] nodes) => _nodes = nodes.ToDictionary(n => n.Id);

    public RaftNode this[string id] => _nodes[id];

    /// <summary>Messages addressed to ids not in the group, or matching this filter, are lost.</summary>
    public Func<RaftMessage, bool> Drop { get; set; } = _ => false;

    /// <summary>Sees every Ready a node hands out, before its messages travel.</summary>
    public Action<RaftNode, Ready> Observe { get; set; } = (_, _) => { };

    /// <summary>Readies and deliveries until nothing moves. Writes are durable at once.</summary>
    public void Stabilize()
    {
        for (var round = 0; round < 10_000; round++)
        {
            var moved = false;
            foreach (var node in _nodes.Values)
            {
                foreach (var ready in Nodes.Flush(node))
                {
                    moved = true;
                    Observe(node, ready);
                    foreach (var message in ready.Messages) _inFlight.Enqueue(message);
                }
            }
            while (_inFlight.TryDequeue(out var message))
            {
                moved = true;
                if (_nodes.TryGetValue(message.To, out var to) && !Drop(message)) to.Step(message);
            }
            if (!moved) return;
        }
        throw new InvalidOperationException("The group did not settle.");
    }
}
