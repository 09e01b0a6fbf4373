using OrleansRaft.Core;
using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Storage;

namespace OrleansRaft.Benchmarks;

/// <summary>
/// Three <see cref="RaftNode"/>s on one thread, each with the in-memory storage twins and a state machine that
/// counts what it applies, wired by an in-memory queue. Every Ready is carried out in contract order
/// (persist, send, apply, advance), so the numbers include what a host must at least do.
/// </summary>
internal sealed class InMemoryCluster
{
    private readonly RaftNode[] _nodes;
    private readonly InMemoryLogStore[] _logs;
    private readonly InMemoryHardStateStore[] _hardStates;
    private readonly long[] _applied;
    private List<RaftMessage> _inFlight = [];
    private List<RaftMessage> _delivering = [];

    public InMemoryCluster(int maxInflightMessages)
    {
        string[] peers = ["1", "2", "3"];
        _nodes = [.. peers.Select((id, i) => new RaftNode(new RaftConfig
        {
            Id = id,
            Peers = peers,
            RandomSeed = i + 1,
            MaxInflightMessages = maxInflightMessages,
        }))];
        _logs = [.. peers.Select(_ => new InMemoryLogStore())];
        _hardStates = [.. peers.Select(_ => new InMemoryHardStateStore())];
        _applied = new long[peers.Length];
    }

    public RaftNode Leader => _nodes.Single(n => n.Role == RaftRole.Leader);

    /// <summary>Normal entries applied by the slowest node.</summary>
    public long AppliedEverywhere => Math.Min(_applied[0], Math.Min(_applied[1], _applied[2]));

    /// <summary>Normal entries applied by the leader: committed.</summary>
    public long AppliedOn(RaftNode node) => _applied[Array.IndexOf(_nodes, node)];

    public long MessagesSent { get; private set; }

    /// <summary>Ticks node 1 until it wins an election, letting everything settle in between.</summary>
    public RaftNode ElectLeader()
    {
        for (var tick = 0; tick < 1000; tick++)
        {
            _nodes[0].Tick();
            Settle();
            if (_nodes[0].Role == RaftRole.Leader) return _nodes[0];
        }
        throw new InvalidOperationException("No leader elected.");
    }

    /// <summary>One round: every node carries out its Ready, then every message in flight is delivered.
    /// Returns whether anything happened.</summary>
    public bool Round()
    {
        var moved = false;
        for (var i = 0; i < _nodes.Length; i++)
        {
            var node = _nodes[i];
            if (!node.HasReady) continue;
            moved = true;
            var ready = node.GetReady();
            if (ready.HardState is { } hard) _hardStates[i].SaveAsync(hard).GetAwaiter().GetResult();
            if (ready.Entries.Count > 0) _logs[i].AppendAsync(ready.Entries).GetAwaiter().GetResult();
            _inFlight.AddRange(ready.Messages);
            var committed = ready.CommittedEntries;
            for (var k = 0; k < committed.Count; k++)
                if (committed[k].Type == EntryType.Normal) _applied[i]++;
            node.Advance(ready);
        }

        (_delivering, _inFlight) = (_inFlight, _delivering);
        MessagesSent += _delivering.Count;
        foreach (var message in _delivering) _nodes[message.To[0] - '1'].Step(message);
        moved |= _delivering.Count > 0;
        _delivering.Clear();
        return moved;
    }

    public void Settle()
    {
        while (Round()) { }
    }
}
