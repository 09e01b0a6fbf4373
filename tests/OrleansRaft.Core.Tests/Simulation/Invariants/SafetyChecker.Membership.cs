using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Tests.Simulation.Peers;
using OrleansRaft.Core.Tracking;

namespace OrleansRaft.Core.Tests.Simulation.Invariants;

/// <summary>
/// The checks a changing membership adds (thesis §4):
/// <list type="bullet">
/// <item>Commit Quorum: when a leader's commit index advances to c, entry c is durable (in the store a restart would
/// read) on a majority of the voters of the leader's configuration in force. Election Safety and Leader Completeness
/// then rest on the overlap of two such majorities, which is what one change at a time, counted from a committed
/// entry of the leader's own term, preserves; a leader that counts the wrong peers breaks this check first.</item>
/// <item>Configuration History: the configuration in force on a node is the one its log implies (the latest
/// membership change entry it holds, or the committed configuration at its log's base, which a snapshot carries
/// outside the hashed entries), so every peer that holds a committed index agrees on the configuration there.</item>
/// <item>Only voters campaign, and a leader outside its own configuration leads only until its removal commits.</item>
/// </list>
/// </summary>
internal sealed partial class SafetyChecker
{
    private readonly Dictionary<string, SimPeer> _byId = new(StringComparer.Ordinal);

    /// <summary>The committed membership change entries, ascending by index: the group's configuration history.</summary>
    private readonly List<(long Index, Configuration Configuration)> _configurations = [];

    /// <summary>The term each activation last led, so that a leader stepping down in the step that commits (a removed
    /// leader does) is still held to the rule of that commit.</summary>
    private readonly Dictionary<PeerActivation, long> _ledTerm = [];

    /// <summary>The configuration before the log's first entry (every peer's <see cref="RaftConfig.Peers"/>).</summary>
    private Configuration? _bootstrap;

    /// <summary>Committed membership changes so far.</summary>
    public int ConfigurationsCommitted => _configurations.Count;

    private void OnStartedMembership(RaftNode node) =>
        _bootstrap ??= new Configuration(node.Config.Peers, []);

    private void OnStoppedMembership(PeerActivation peer) => _ledTerm.Remove(peer);

    /// <summary>A committed entry recorded for the first time: a membership change joins the history.</summary>
    private void RecordCommittedConfiguration(Entry entry)
    {
        if (entry.Type == EntryType.ConfigChange) _configurations.Add((entry.Index, ConfigChangeCodec.Decode(entry.Data).Result));
    }

    /// <summary>The configuration in force once the committed log ends at <paramref name="index"/>.</summary>
    private Configuration CommittedConfigurationAt(long index)
    {
        for (var i = _configurations.Count - 1; i >= 0; i--)
            if (_configurations[i].Index <= index) return _configurations[i].Configuration;
        return _bootstrap!;
    }

    /// <summary>Configuration History: the node's configuration in force is the one its log implies.</summary>
    private void CheckConfiguration(PeerActivation peer, RaftNode node, LogMirror mirror)
    {
        var latest = mirror.LatestConfigIndex;
        var expected = latest > 0 ? ConfigChangeCodec.Decode(mirror.EntryAt(latest).Data).Result : CommittedConfigurationAt(mirror.Base);
        if (node.ConfigurationIndex != latest || !node.Configuration.Equals(expected))
            throw new SafetyViolationException(Invariant.ConfigurationHistory,
                $"{peer.Name} has {node.Configuration} in force (from index {node.ConfigurationIndex}), but its log implies {expected} " +
                (latest > 0 ? $"(the membership change at index {latest})" : $"(the committed configuration at its log's base, index {mirror.Base})") + ".");
    }

    /// <summary>Only voters campaign; a leader that removed itself leads only until the removal commits.</summary>
    private static void CheckRole(PeerActivation peer, RaftNode node)
    {
        switch (node.Role)
        {
            case RaftRole.PreCandidate or RaftRole.Candidate when !node.IsVoter:
                throw new SafetyViolationException(Invariant.NodeContract,
                    $"{peer.Name} campaigns in term {node.Term} but is not a voter of its configuration {node.Configuration}.");
            case RaftRole.Leader when !node.IsVoter && node.CommitIndex >= node.ConfigurationIndex:
                throw new SafetyViolationException(Invariant.NodeContract,
                    $"{peer.Name} still leads term {node.Term} after its removal at index {node.ConfigurationIndex} committed.");
        }
    }

    /// <summary>Commit Quorum, for a leader (or one that led this term until this step) whose commit index advances:
    /// the entry it now counts as committed is durable on a majority of its configuration's voters.</summary>
    private void CheckCommitQuorum(PeerActivation peer, RaftNode node)
    {
        var leading = node.Role == RaftRole.Leader || (_ledTerm.TryGetValue(peer, out var led) && led == node.Term);
        if (node.Role == RaftRole.Leader) _ledTerm[peer] = node.Term;
        var commit = node.CommitIndex;
        if (!leading || commit <= _commit[peer]) return;
        var term = node.TermAt(commit);
        var configuration = node.Configuration;
        var holders = new List<string>(configuration.Voters.Count);
        foreach (var voter in configuration.Voters)
            if (_byId.TryGetValue(voter, out var holder) && holder.Storage.HoldsDurably(commit, term)) holders.Add(voter);
        if (holders.Count < Quorum.Majority(configuration.Voters.Count))
            throw new SafetyViolationException(Invariant.CommitQuorum,
                $"{peer.Name}, leader of term {node.Term}, committed ({commit}, term {term}), which is durable only on " +
                $"[{string.Join(", ", holders)}]: not a majority of its configuration, {configuration}.");
    }
}
