using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core.Tests.Paper;

/// <summary>Builds and drives single nodes for tests that step messages in by hand and read what comes out,
/// like etcd's raft_paper_test.go. Peers are named "1".."N".</summary>
internal static class Nodes
{
    public const int Election = 10;

    public static string[] Peers(int count) => [.. Enumerable.Range(1, count).Select(i => i.ToString())];

    public static RaftConfig Config(string id = "1", int peers = 3, bool preVote = false, bool checkQuorum = false, int seed = 1) => new()
    {
        Id = id,
        Peers = Peers(peers),
        ElectionTicks = Election,
        HeartbeatTicks = 1,
        PreVote = preVote,
        CheckQuorum = checkQuorum,
        RandomSeed = seed,
    };

    /// <summary>Entries 1..n with the given terms and empty data.</summary>
    public static List<Entry> Log(params long[] terms) =>
        [.. terms.Select((term, i) => new Entry(i + 1, term, EntryType.Normal, []))];

    /// <summary>A node restarted from a persisted state: <paramref name="logTerms"/> are the terms of entries 1..n.</summary>
    public static RaftNode Restored(RaftConfig config, long term, string? vote = null, long commit = 0, params long[] logTerms) =>
        new(config, new PersistedState(new HardState(term, vote, commit), Log(logTerms)));

    public static RaftNode New(string id = "1", int peers = 3, bool preVote = false, bool checkQuorum = false) =>
        new(Config(id, peers, preVote, checkQuorum));

    /// <summary>Carries out every pending Ready (its writes are taken as durable) and returns them all.</summary>
    public static List<Ready> Flush(RaftNode node)
    {
        var readies = new List<Ready>();
        while (node.HasReady)
        {
            var ready = node.GetReady();
            node.Advance(ready);
            readies.Add(ready);
        }
        return readies;
    }

    /// <summary>The messages of every pending Ready.</summary>
    public static List<RaftMessage> Sent(RaftNode node) => [.. Flush(node).SelectMany(r => r.Messages)];

    /// <summary>The entries applied from every pending Ready.</summary>
    public static List<Entry> Applied(RaftNode node) => [.. Flush(node).SelectMany(r => r.CommittedEntries)];

    /// <summary>Ticks until the node's randomized election timeout fires; returns the number of ticks.</summary>
    public static int TimeOut(RaftNode node)
    {
        var before = node.SoftState;
        for (var ticks = 1; ticks <= 2 * node.Config.ElectionTicks; ticks++)
        {
            node.Tick();
            if (node.SoftState != before || node.HasReady) return ticks;
        }
        throw new InvalidOperationException($"{node.Id} did not time out within 2 election timeouts.");
    }

    /// <summary>Makes the node leader of the next term through a real election (votes stepped in by hand)
    /// and drains what it sent.</summary>
    public static RaftNode ElectLeader(RaftNode node)
    {
        Flush(node);
        TimeOut(node);
        foreach (var request in Sent(node).OfType<RequestVote>())
            node.Step(new RequestVoteReply(request.To, node.Id, request.Term, Granted: true, request.PreVote));
        if (node.Role == RaftRole.Candidate)
        {
            foreach (var request in Sent(node).OfType<RequestVote>())
                node.Step(new RequestVoteReply(request.To, node.Id, request.Term, Granted: true, PreVote: false));
        }
        if (node.Role != RaftRole.Leader) throw new InvalidOperationException($"{node.Id} did not win.");
        Flush(node);
        return node;
    }

    /// <summary>A successful reply from <paramref name="from"/> acknowledging the leader's log up to <paramref name="index"/>.</summary>
    public static AppendEntriesReply Ack(RaftNode leader, string from, long index) =>
        new(from, leader.Id, leader.Term, Success: true, index, 0, 0);
}
