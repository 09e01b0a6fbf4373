using OrleansRaft.Grains.Directory;
using OrleansRaft.Grains.Kv;
using OrleansRaft.Hosting;
using OrleansRaft.Membership;
using OrleansRaft.Peers;

namespace OrleansRaft.Grains.Membership;

/// <summary>
/// Carries out one membership request for the facade: finds the leader, checks the request against the configuration
/// the leader holds (so that bad input is refused with its own outcome before anything is proposed), and drives the
/// change through its steps. Adding a member: allocate the new peer's id in the leader's current term, let that peer
/// create its empty storage (<see cref="IRaftPeerGrain.Join"/>), propose it as a learner, and, unless only a learner
/// was asked for, promote it once it has caught up. Removing one: propose the removal, then retire the removed peer
/// (its storage is deleted only now that the removal has committed). Every step has the request's deadline.
/// </summary>
internal sealed class MembershipCoordinator(
    string group, RaftGroupOptions options, IGrainFactory grains, LeaderHintCache hints, PeerLocator peers, GroupConfigurationCache configurations)
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(100);

    public async Task<MembershipResponse> ListAsync()
    {
        var deadline = Deadline();
        var leader = await FindLeaderAsync(deadline);
        return leader is null ? NoLeader() : new MembershipResponse(MembershipOutcome.Ok, ToMembership(leader));
    }

    public async Task<MembershipResponse> AddAsync(string node, bool asLearner)
    {
        if (CheckNode(node) is { } invalid) return invalid;
        var deadline = Deadline();
        while (DateTime.UtcNow < deadline)
        {
            var leader = await FindLeaderAsync(deadline);
            if (leader is null) return NoLeader();
            var existing = MemberOn(leader, node);
            if (existing is not null)
            {
                if (existing.Role == MemberRole.Learner && !asLearner) return await PromoteAsync(existing.Peer, deadline);
                return new MembershipResponse(MembershipOutcome.AlreadyMember, ToMembership(leader),
                    $"node '{node}' already hosts {existing.Peer}, a {Describe(existing.Role)} of group '{group}'");
            }
            var peer = new PeerKey(group, checked((int)(leader.LastIndex + 1)), node).ToString();
            if (peers.HostOf(peer, out _) is null)
                // Not Unavailable: nothing here passes by waiting; the operator has to start that silo.
                return new MembershipResponse(MembershipOutcome.InvalidArgument, ToMembership(leader),
                    $"node '{node}' has no active silo: start its silo first (silo run --node {node} ...), then add it");
            var joined = await grains.GetGrain<IRaftPeerGrain>(peer).Join().WaitAsync(options.PeerCallTimeout);
            if (joined.Outcome != PeerOutcome.Ok)
                return new MembershipResponse(MembershipOutcome.Unavailable, ToMembership(leader), $"{peer} could not create its storage: {joined.Error}");
            var added = await ProposeAsync(leader, MembershipChangeKind.AddLearner, peer, deadline);
            if (added is null) continue; // the leader changed: allocate again under the new one
            if (added.Outcome != MembershipOutcome.Ok) return added;
            return asLearner ? added : await PromoteAsync(peer, deadline);
        }
        return TimedOut("the learner may have been added");
    }

    public async Task<MembershipResponse> PromoteAsync(string node)
    {
        if (CheckNode(node) is { } invalid) return invalid;
        var deadline = Deadline();
        var leader = await FindLeaderAsync(deadline);
        if (leader is null) return NoLeader();
        var member = MemberOn(leader, node);
        if (member is null) return NotAMember(leader, node);
        if (member.Role == MemberRole.Voter)
            return new MembershipResponse(MembershipOutcome.AlreadyMember, ToMembership(leader), $"{member.Peer} on node '{node}' is already a voter");
        return await PromoteAsync(member.Peer, deadline);
    }

    public async Task<MembershipResponse> RemoveAsync(string node)
    {
        if (CheckNode(node) is { } invalid) return invalid;
        var deadline = Deadline();
        while (DateTime.UtcNow < deadline)
        {
            var leader = await FindLeaderAsync(deadline);
            if (leader is null) return NoLeader();
            var member = MemberOn(leader, node);
            if (member is null) return NotAMember(leader, node);
            var removed = await ProposeAsync(leader, MembershipChangeKind.Remove, member.Peer, deadline);
            if (removed is null) continue;
            if (removed.Outcome != MembershipOutcome.Ok) return removed;
            await RetireAsync(member.Peer, removed.Membership!.ConfigIndex);
            return removed;
        }
        return TimedOut("the member may have been removed");
    }

    public async Task<MembershipResponse> TransferAsync(string? node)
    {
        if (node is not null && CheckNode(node) is { } invalid) return invalid;
        var deadline = Deadline();
        var leader = await FindLeaderAsync(deadline);
        if (leader is null) return NoLeader();
        var members = leader.Members ?? [];
        MemberInfo? target;
        if (node is null)
        {
            target = members.Where(m => m.Role == MemberRole.Voter && !m.IsLeader && m.Responsive).OrderByDescending(m => m.Match).FirstOrDefault();
            if (target is null)
                return new MembershipResponse(MembershipOutcome.Unavailable, ToMembership(leader), "no other voter answers the leader: there is nobody to hand over to");
        }
        else
        {
            target = MemberOn(leader, node);
            if (target is null) return NotAMember(leader, node);
            if (target.Role == MemberRole.Learner)
                return new MembershipResponse(MembershipOutcome.InvalidTarget, ToMembership(leader), $"{target.Peer} on node '{node}' is a learner: promote it first");
            if (target.IsLeader) return new MembershipResponse(MembershipOutcome.Ok, ToMembership(leader));
        }
        var answer = await Call(leader.Peer).TransferLeadership(target.Peer).WaitAsync(Remaining(deadline));
        if (answer.Outcome != PeerOutcome.Ok) return Refusal(answer, leader);
        hints.Set(group, target.Peer);
        var after = await FindLeaderAsync(deadline);
        return new MembershipResponse(MembershipOutcome.Ok, after is null ? null : ToMembership(after));
    }

    /// <summary>Promotes a learner, waiting while it catches up (it is refused while it lags), until the deadline.</summary>
    private async Task<MembershipResponse> PromoteAsync(string peer, DateTime deadline)
    {
        MembershipResponse? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var leader = await FindLeaderAsync(deadline);
            if (leader is null) return NoLeader();
            var member = (leader.Members ?? []).FirstOrDefault(m => m.Peer == peer);
            if (member is null) return NotAMember(leader, PeerKey.Parse(peer).Node ?? peer);
            if (member.Role == MemberRole.Voter) return new MembershipResponse(MembershipOutcome.Ok, ToMembership(leader));
            var promoted = await ProposeAsync(leader, MembershipChangeKind.Promote, peer, deadline);
            if (promoted is null) continue;
            if (promoted.Outcome != MembershipOutcome.LearnerBehind) return promoted;
            last = promoted;
            await Task.Delay(Retry);
        }
        return last ?? TimedOut("the learner may have been promoted");
    }

    /// <summary>Proposes one change to <paramref name="leader"/>; null when it no longer leads (the caller starts over).</summary>
    private async Task<MembershipResponse?> ProposeAsync(PeerStatus leader, MembershipChangeKind kind, string peer, DateTime deadline)
    {
        MembershipChangeResponse answer;
        try
        {
            answer = await Call(leader.Peer).ChangeMembership(kind, peer, leader.Term).WaitAsync(Remaining(deadline));
        }
        catch (TimeoutException)
        {
            return TimedOut("the change may or may not have been made");
        }
        switch (answer.Outcome)
        {
            case PeerOutcome.Ok:
                var after = await FindLeaderAsync(deadline);
                return new MembershipResponse(MembershipOutcome.Ok, after is null ? null : ToMembership(after) with { ConfigIndex = Math.Max(after.ConfigIndex, answer.Index) });
            case PeerOutcome.NotLeader:
                hints.Forget(group, leader.Peer);
                return null;
            case PeerOutcome.Unavailable when answer.Refusal == MembershipOutcome.Unavailable:
                await Task.Delay(Retry);
                return null; // a new leader not ready yet, or the term moved on: look again
            default:
                return Refusal(answer, leader);
        }
    }

    /// <summary>Stops a removed peer and deletes its storage. Best effort: a peer whose node is down keeps its storage
    /// (and, should the node come back, stays outside the group, where it can never be elected or counted).</summary>
    private async Task RetireAsync(string peer, long removalIndex)
    {
        if (peers.HostOf(peer, out _) is null) return;
        try
        {
            await Call(peer).Retire(removalIndex).WaitAsync(options.PeerCallTimeout);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The removal has committed whatever happens here; the peer's storage stays until it is retired.
        }
    }

    /// <summary>The leader's status: the hint first, then every member this silo knows of, following what each names as
    /// leader, until the deadline.</summary>
    private async Task<PeerStatus?> FindLeaderAsync(DateTime deadline)
    {
        while (DateTime.UtcNow < deadline)
        {
            var candidates = new List<string>();
            if (hints.Get(group) is { } hint) candidates.Add(hint);
            candidates.AddRange(configurations.MembersOf(group).Where(m => !candidates.Contains(m)));
            for (var i = 0; i < candidates.Count && DateTime.UtcNow < deadline; i++)
            {
                if (peers.HostOf(candidates[i], out _) is null) continue;
                PeerStatus status;
                try
                {
                    status = await Call(candidates[i]).GetStatus().WaitAsync(options.PeerCallTimeout);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    continue;
                }
                if (status.Voters is { } voters) configurations.Observe(group, status.ConfigIndex, voters, status.Learners ?? []);
                if (status.Role == "Leader")
                {
                    hints.Set(group, status.Peer);
                    return status;
                }
                if (status.Leader is { } named && !candidates.Contains(named)) candidates.Insert(i + 1, named);
            }
            await Task.Delay(Retry);
        }
        return null;
    }

    private GroupMembership ToMembership(PeerStatus leader) =>
        new(group, leader.Peer, leader.Term, leader.ConfigIndex, leader.Members ?? []);

    private static MemberInfo? MemberOn(PeerStatus leader, string node) =>
        (leader.Members ?? []).FirstOrDefault(m => string.Equals(m.Node, node, StringComparison.Ordinal));

    private MembershipResponse Refusal(MembershipChangeResponse answer, PeerStatus leader) =>
        new(answer.Refusal == MembershipOutcome.Ok ? MembershipOutcome.Unavailable : answer.Refusal, ToMembership(leader), answer.Error);

    private MembershipResponse NotAMember(PeerStatus leader, string node) =>
        new(MembershipOutcome.NotAMember, ToMembership(leader), $"node '{node}' hosts no member of group '{group}'");

    private MembershipResponse NoLeader() =>
        new(MembershipOutcome.Unavailable, null, $"group '{group}' has no leader that answers within {options.RequestTimeout.TotalSeconds:0.#} s");

    private MembershipResponse TimedOut(string what) =>
        new(MembershipOutcome.Timeout, null, $"no answer within {options.RequestTimeout.TotalSeconds:0.#} s; {what} (client member list shows the group)");

    private static MembershipResponse? CheckNode(string node) =>
        RaftNodeNames.IsValid(node) ? null : new MembershipResponse(MembershipOutcome.InvalidArgument, null, $"node name '{node}' is invalid: {RaftNodeNames.Rule}");

    private static string Describe(MemberRole role) => role == MemberRole.Voter ? "voter" : "learner";

    private IRaftPeerGrain Call(string peer) => grains.GetGrain<IRaftPeerGrain>(peer);

    private DateTime Deadline() => DateTime.UtcNow + options.RequestTimeout;

    private static TimeSpan Remaining(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1);
    }
}
