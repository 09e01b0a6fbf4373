namespace OrleansRaft.Core.Membership;

/// <summary>What one membership change does to one peer.</summary>
public enum ConfigChangeType : byte
{
    /// <summary>Adds a peer that is not a member as a learner: it receives the log but does not vote.</summary>
    AddLearner = 0,

    /// <summary>Makes a learner a voter. The leader refuses while the learner lags (see <see cref="RaftConfig.MaxPromotionLagEntries"/>).</summary>
    Promote = 1,

    /// <summary>Removes a voter or a learner.</summary>
    Remove = 2,
}

/// <summary>
/// One single-server membership change (thesis §4.1), carried by an entry of type <see cref="EntryType.ConfigChange"/>
/// together with the whole configuration it results in.
/// </summary>
/// <remarks>
/// <b>When it takes effect: on append, as the thesis says, not on apply as etcd does.</b> A peer uses the latest
/// configuration in its log, committed or not, from the moment the entry is in its log; if the entry is truncated
/// away, the previous configuration is in force again. Why: the configuration in force is then a function of the log
/// prefix alone, the same on every peer holding that prefix, so that the leader that appended a change counts the
/// new majority at once and a removed peer stops campaigning as soon as it holds its removal. Single-server changes
/// are safe this way because any majority of the old voters and any majority of the new overlap; the two rules that
/// keep them so are enforced by the leader: one change at a time (none is appended while an earlier one is
/// uncommitted), and none before the leader has committed an entry of its own term (the bug Ongaro reported on
/// raft-dev in 2015: without it, a change from an earlier term can be lost after a later one was counted).
/// </remarks>
public sealed record ConfigChange(ConfigChangeType Type, string Peer)
{
    public override string ToString() => Type switch
    {
        ConfigChangeType.AddLearner => $"add learner {Peer}",
        ConfigChangeType.Promote => $"promote {Peer}",
        _ => $"remove {Peer}",
    };

    /// <summary>The configuration this change makes of <paramref name="current"/>, or the reason it is not a valid
    /// change of it (a member added again, a non-member removed or promoted, the last voter removed).</summary>
    public Configuration? ApplyTo(Configuration current, out string? invalid)
    {
        ArgumentNullException.ThrowIfNull(current);
        invalid = null;
        if (string.IsNullOrWhiteSpace(Peer))
        {
            invalid = "a membership change must name a peer";
            return null;
        }
        switch (Type)
        {
            case ConfigChangeType.AddLearner when current.Contains(Peer):
                invalid = $"{Peer} is already a {(current.IsVoter(Peer) ? "voter" : "learner")}";
                return null;
            case ConfigChangeType.AddLearner:
                return new Configuration(current.Voters, current.Learners.Append(Peer));
            case ConfigChangeType.Promote when !current.IsLearner(Peer):
                invalid = current.IsVoter(Peer) ? $"{Peer} is already a voter" : $"{Peer} is not a member (add it as a learner first)";
                return null;
            case ConfigChangeType.Promote:
                return new Configuration(current.Voters.Append(Peer), current.Learners.Where(l => l != Peer));
            case ConfigChangeType.Remove when !current.Contains(Peer):
                invalid = $"{Peer} is not a member";
                return null;
            case ConfigChangeType.Remove when current.IsVoter(Peer) && current.Voters.Count == 1:
                invalid = $"{Peer} is the last voter: a group without voters can never commit again";
                return null;
            case ConfigChangeType.Remove:
                return new Configuration(current.Voters.Where(v => v != Peer), current.Learners.Where(l => l != Peer));
            default:
                invalid = $"unknown membership change type {(int)Type}";
                return null;
        }
    }
}
