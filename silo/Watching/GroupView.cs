using OrleansRaft.Grains.Diagnostics;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Silo.Watching;

/// <summary>What <c>/api/groups/{group}</c> answers: the group as the silo serving the page sees it now.</summary>
/// <param name="Health">healthy (a leader, every peer answers), degraded (a leader, a peer down or lagging) or
/// unavailable (no leader: the group cannot commit).</param>
/// <param name="ObservedBy">The node of the silo that asked every peer; its own peers' history fills
/// <see cref="Events"/> and <see cref="CommitRate"/>.</param>
public sealed record GroupView(
    string Group,
    string Health,
    string? Leader,
    long Term,
    IReadOnlyList<PeerView> Peers,
    IReadOnlyList<FollowerView> Followers,
    IReadOnlyList<EventView> Events,
    IReadOnlyList<RateView> CommitRate,
    string ObservedBy,
    DateTimeOffset ObservedAt);

/// <summary>One peer; <see cref="Reachable"/> false means it did not answer within the bound, and <see cref="Error"/> says why.</summary>
public sealed record PeerView(
    string Peer,
    string? Node,
    bool Reachable,
    string? Error,
    string? Silo,
    string? Role,
    long Term,
    string? Vote,
    string? Leader,
    long Commit,
    long Applied,
    long FirstIndex,
    long LastIndex,
    bool Voter,
    bool Quiet);

/// <summary>The leader's view of one member: what it holds (match), what it is sent next, and how far behind it is.</summary>
public sealed record FollowerView(string Peer, string Node, long Match, long Next, long Lag, bool Responsive);

public sealed record EventView(DateTimeOffset At, string Kind, string Peer, long Term, string? Leader);

/// <summary>Entries committed per second over the second that ends at <see cref="At"/>.</summary>
public sealed record RateView(DateTimeOffset At, double PerSecond);

/// <summary>What <c>/api/groups</c> answers: every group this silo is configured with.</summary>
public sealed record GroupsView(string Node, IReadOnlyList<GroupView> Groups);

/// <summary>A JSON error body: <see cref="Error"/> is a fixed code, <see cref="Message"/> says what to do.</summary>
public sealed record ApiError(string Error, string Message);

internal static class GroupViews
{
    public static GroupView From(string group, PeerStatusList status, Func<string, string?> nodeOf, PeerActivity activity, string observedBy, DateTimeOffset now)
    {
        var keys = status.Keys ?? [.. status.Peers.Select((p, i) => p?.Peer ?? $"{group}/{i}")];
        var peers = keys.Select((key, i) => Peer(key, nodeOf(key), i < status.Peers.Length ? status.Peers[i] : null, i < status.Errors.Length ? status.Errors[i] : null)).ToArray();
        var leaderStatus = status.Peers.Where(p => p?.Role == "Leader").OrderByDescending(p => p!.Term).FirstOrDefault();
        var followers = (leaderStatus?.Members ?? [])
            .Where(m => !m.IsLeader)
            .Select(m => new FollowerView(m.Peer, m.Node, m.Match, m.Next, m.Lag, m.Responsive)).ToArray();
        var health = leaderStatus is null ? "unavailable"
            : peers.All(p => p.Reachable) && followers.All(f => f.Responsive) ? "healthy"
            : "degraded";
        return new GroupView(group, health, leaderStatus?.Peer, leaderStatus?.Term ?? peers.Max(p => (long?)p.Term) ?? 0, peers, followers,
            [.. activity.Events(group).Select(e => new EventView(e.At, e.Kind == GroupEventKind.ElectionStarted ? "election" : "leader", e.Peer, e.Term, e.Leader))],
            Rates(activity.Commits(group)), observedBy, now);
    }

    /// <summary>A group whose status call itself did not answer in time: every peer is shown unreachable.</summary>
    public static PeerStatusList Unanswered(string group, string why) => new(group, [], [why]);

    private static PeerView Peer(string key, string? node, PeerStatus? status, string? error) => status is null
        ? new PeerView(key, node, false, Short(error), null, null, 0, null, null, 0, 0, 0, 0, false, false)
        : new PeerView(status.Peer, status.Node, true, null, status.Silo, status.Role, status.Term, status.Vote, status.Leader,
            status.CommitIndex, status.AppliedIndex, status.FirstIndex, status.LastIndex, status.Voters?.Contains(status.Peer) ?? true, status.Quiescent);

    /// <summary>The reason a peer did not answer, without the stack trace Orleans puts in some of its messages.</summary>
    private static string Short(string? error)
    {
        if (string.IsNullOrWhiteSpace(error)) return "no answer";
        var line = Logging.ExpectedFailures.WithoutTrace(error);
        return line.Length <= 160 ? line : line[..157] + "...";
    }

    private static RateView[] Rates(IReadOnlyList<CommitSample> samples)
    {
        var rates = new RateView[Math.Max(0, samples.Count - 1)];
        for (var i = 1; i < samples.Count; i++)
        {
            var seconds = (samples[i].At - samples[i - 1].At).TotalSeconds;
            var entries = Math.Max(0, samples[i].CommitIndex - samples[i - 1].CommitIndex);
            rates[i - 1] = new RateView(samples[i].At, seconds > 0 ? Math.Round(entries / seconds, 1) : 0);
        }
        return rates;
    }
}
