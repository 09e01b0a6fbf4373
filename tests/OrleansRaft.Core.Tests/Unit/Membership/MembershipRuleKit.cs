using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit.Membership;

/// <summary>
/// Builders for the membership rule tests (etcd raft_test.go style: one node driven by hand, messages stepped in
/// and read out). Configurations are written as text, <c>"1 2 3"</c> for voters and <c>"4"</c> for learners.
/// A node starts from a snapshot at 1/1 that holds the configuration, so that any configuration, learners
/// included, can be set up without replaying the changes that led to it.
/// </summary>
internal static class MembershipRuleKit
{
    public const int Election = 10;

    public static string[] Ids(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static Configuration Conf(string voters, string learners = "") => new(Ids(voters), Ids(learners));

    public static ConfigChange Change(string text)
    {
        var parts = Ids(text);
        var type = parts[0] switch
        {
            "add-learner" => ConfigChangeType.AddLearner,
            "promote" => ConfigChangeType.Promote,
            "remove" => ConfigChangeType.Remove,
            var other => throw new ArgumentException($"unknown change '{other}'", nameof(text)),
        };
        return new ConfigChange(type, parts[1]);
    }

    public static RaftConfig Config(string id, Configuration bootstrap, bool preVote = false, bool checkQuorum = false,
        long maxPromotionLag = RaftConfig.DefaultMaxPromotionLagEntries, int seed = 1) => new()
    {
        Id = id,
        Peers = [.. bootstrap.Voters],
        ElectionTicks = Election,
        HeartbeatTicks = 1,
        PreVote = preVote,
        CheckQuorum = checkQuorum,
        MaxPromotionLagEntries = maxPromotionLag,
        RandomSeed = seed,
    };

    /// <summary>A node of term 1 whose log is a snapshot at 1/1 holding <paramref name="configuration"/>.</summary>
    public static RaftNode FromSnapshot(RaftConfig config, Configuration configuration) =>
        new(config, new PersistedState(new HardState(1, null, 1), [], new Snapshot(1, 1, [], configuration)));

    /// <summary>Node "1" elected leader of term 2 in <paramref name="configuration"/> (votes stepped in by hand), its
    /// no-op at index 2 acknowledged by every other member, so committed: a leader that may change the membership.</summary>
    /// <param name="configure">Changes to the node's options beyond those named here.</param>
    public static RaftNode ReadyLeader(Configuration configuration, bool checkQuorum = false,
        long maxPromotionLag = RaftConfig.DefaultMaxPromotionLagEntries, string id = "1", Func<RaftConfig, RaftConfig>? configure = null)
    {
        var config = Config(id, configuration, checkQuorum: checkQuorum, maxPromotionLag: maxPromotionLag);
        var leader = Nodes.ElectLeader(FromSnapshot(configure?.Invoke(config) ?? config, configuration));
        foreach (var peer in configuration.Members.Where(p => p != id)) leader.Step(Nodes.Ack(leader, peer, leader.LastIndex));
        Nodes.Flush(leader);
        if (leader.CommitIndex != leader.LastIndex) throw new InvalidOperationException("the no-op did not commit");
        return leader;
    }

    /// <summary>Every member of the leader's configuration but the leader acknowledges its whole log.</summary>
    public static void AckAll(RaftNode leader)
    {
        foreach (var peer in leader.Configuration.Members.Where(p => p != leader.Id).ToList())
            leader.Step(Nodes.Ack(leader, peer, leader.LastIndex));
        Nodes.Flush(leader);
    }

    /// <summary>Proposes <paramref name="change"/>, which must be accepted, and persists it (the leader's own copy
    /// then counts, if it is a voter). Returns its index.</summary>
    public static long Propose(RaftNode leader, string change)
    {
        var result = leader.ProposeConfigChange(Change(change));
        if (!result.Accepted) throw new InvalidOperationException($"'{change}' refused: {result.Reason} {result.Detail}");
        Nodes.Flush(leader);
        return result.Index;
    }

    /// <summary>An entry carrying <paramref name="change"/> of <paramref name="current"/>.</summary>
    public static Entry ChangeEntry(long index, long term, Configuration current, string change)
    {
        var parsed = Change(change);
        var result = parsed.ApplyTo(current, out var invalid) ?? throw new ArgumentException(invalid, nameof(change));
        return new Entry(index, term, EntryType.ConfigChange, ConfigChangeCodec.Encode(parsed, result));
    }

    /// <summary>One leader tick; every peer in <paramref name="answering"/> answers the heartbeats it caused.</summary>
    public static void TickAnswered(RaftNode leader, params string[] answering)
    {
        leader.Tick();
        foreach (var heartbeat in Nodes.Sent(leader).OfType<Heartbeat>().Where(h => answering.Contains(h.To)))
            leader.Step(new HeartbeatReply(heartbeat.To, leader.Id, heartbeat.Term, heartbeat.ReadRound));
        Nodes.Flush(leader);
    }

    /// <summary>The observable state a refused request must leave untouched.</summary>
    public static (long LastIndex, long Commit, Configuration Configuration, long ConfigurationIndex, RaftRole Role, long Term, string? Transferee) State(RaftNode node) =>
        (node.LastIndex, node.CommitIndex, node.Configuration, node.ConfigurationIndex, node.Role, node.Term, node.LeadTransferee);
}
