using OrleansRaft.Membership;

namespace OrleansRaft.Client.Tests.Support;

/// <summary>
/// A small membership model for the CLI: changes apply at once, each one a new configuration index; the refusals
/// that follow from the configuration alone (not-a-member, already-member, last-voter, invalid-target) are thrown as
/// the real client would. <see cref="InMemoryRaftKv.FailWith"/> makes these calls throw too.
/// </summary>
internal sealed partial class InMemoryRaftKv
{
    public GroupMembership Membership { get; set; } = FakeKvGrain.Members();

    /// <summary>Every membership call, as "verb node" ("transfer" alone for a transfer without a target).</summary>
    public List<string> MembershipCalls { get; } = [];

    public Task<GroupMembership> ListMembersAsync(CancellationToken cancellationToken = default) => Change("list", null, m => m);

    public Task<GroupMembership> AddMemberAsync(string node, bool asLearner = false, CancellationToken cancellationToken = default) =>
        Change(asLearner ? "add-learner" : "add", node, m =>
        {
            if (Find(m, node) is not null) throw Refusal(MembershipOutcome.AlreadyMember, $"{node} already hosts member {Find(m, node)!.Peer}");
            var peer = $"{m.Group}/{m.ConfigIndex + 100}@{node}";
            var leaderMatch = m.Members.Where(x => x.IsLeader).Select(x => x.Match).FirstOrDefault();
            return Next(m, [.. m.Members, new MemberInfo(peer, node, asLearner ? MemberRole.Learner : MemberRole.Voter, false, leaderMatch, 0, true)]);
        });

    public Task<GroupMembership> PromoteMemberAsync(string node, CancellationToken cancellationToken = default) =>
        Change("promote", node, m =>
        {
            var member = Find(m, node) ?? throw Refusal(MembershipOutcome.NotAMember, $"{node} hosts no member of group '{m.Group}'");
            if (member.Role == MemberRole.Voter) throw Refusal(MembershipOutcome.AlreadyMember, $"{node} already is a voter");
            return Next(m, [.. m.Members.Select(x => x == member ? x with { Role = MemberRole.Voter } : x)]);
        });

    public Task<GroupMembership> RemoveMemberAsync(string node, CancellationToken cancellationToken = default) =>
        Change("remove", node, m =>
        {
            var member = Find(m, node) ?? throw Refusal(MembershipOutcome.NotAMember, $"{node} hosts no member of group '{m.Group}'");
            if (member.Role == MemberRole.Voter && m.Members.Count(x => x.Role == MemberRole.Voter) == 1)
                throw Refusal(MembershipOutcome.LastVoter, $"{node} hosts the last voter");
            return Next(m, [.. m.Members.Where(x => x != member)]);
        });

    public Task<GroupMembership> TransferLeadershipAsync(string? node = null, CancellationToken cancellationToken = default) =>
        Change("transfer", node, m =>
        {
            var target = node is null
                ? m.Members.Where(x => x.Role == MemberRole.Voter && !x.IsLeader).MaxBy(x => x.Match)
                : Find(m, node) ?? throw Refusal(MembershipOutcome.NotAMember, $"{node} hosts no member of group '{m.Group}'");
            if (target is null) throw Refusal(MembershipOutcome.InvalidTarget, "no other voter to hand over to");
            if (target.Role == MemberRole.Learner) throw Refusal(MembershipOutcome.InvalidTarget, $"{node} hosts a learner");
            return m with { Leader = target.Peer, Term = m.Term + 1, Members = [.. m.Members.Select(x => x with { IsLeader = x == target })] };
        });

    private Task<GroupMembership> Change(string verb, string? node, Func<GroupMembership, GroupMembership> apply)
    {
        if (verb != "list" && (node is not null || verb != "transfer")) KvArguments.ValidateNode(node);
        MembershipCalls.Add(node is null ? verb : $"{verb} {node}");
        if (FailWith is not null) throw FailWith;
        Membership = apply(Membership);
        return Task.FromResult(Membership);
    }

    private static MemberInfo? Find(GroupMembership membership, string node) => membership.Members.FirstOrDefault(m => m.Node == node);

    private static GroupMembership Next(GroupMembership membership, MemberInfo[] members) =>
        membership with { ConfigIndex = Math.Max(membership.ConfigIndex, membership.Members.Max(m => m.Match)) + 1, Members = members };

    private RaftMembershipException Refusal(MembershipOutcome outcome, string reason) => new(outcome, Group, $"refused by group '{Group}': {reason}");
}
