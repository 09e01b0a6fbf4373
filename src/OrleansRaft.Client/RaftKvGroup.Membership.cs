using OrleansRaft.Membership;

namespace OrleansRaft.Client;

/// <summary>
/// Membership and leadership of the group (see <see cref="IRaftKv"/>): the node is checked here, before anything is
/// sent; the answers are read in <c>RaftKvGroup.MembershipInvoke.cs</c>.
/// </summary>
internal sealed partial class RaftKvGroup
{
    public Task<GroupMembership> ListMembersAsync(CancellationToken cancellationToken = default) =>
        MembershipAsync(new MembershipRequest("list members", Node: null, IsChange: false), (g, ct) => g.ListMembers(ct), cancellationToken);

    public Task<GroupMembership> AddMemberAsync(string node, bool asLearner = false, CancellationToken cancellationToken = default)
    {
        KvArguments.ValidateNode(node);
        var operation = asLearner ? $"add {node} as a learner" : $"add {node}";
        return MembershipAsync(new MembershipRequest(operation, node, IsChange: true), (g, ct) => g.AddMember(node, asLearner, ct), cancellationToken);
    }

    public Task<GroupMembership> PromoteMemberAsync(string node, CancellationToken cancellationToken = default)
    {
        KvArguments.ValidateNode(node);
        return MembershipAsync(new MembershipRequest($"promote {node}", node, IsChange: true), (g, ct) => g.PromoteMember(node, ct), cancellationToken);
    }

    public Task<GroupMembership> RemoveMemberAsync(string node, CancellationToken cancellationToken = default)
    {
        KvArguments.ValidateNode(node);
        return MembershipAsync(new MembershipRequest($"remove {node}", node, IsChange: true), (g, ct) => g.RemoveMember(node, ct), cancellationToken);
    }

    public Task<GroupMembership> TransferLeadershipAsync(string? node = null, CancellationToken cancellationToken = default)
    {
        if (node is not null) KvArguments.ValidateNode(node);
        var operation = node is null ? "transfer leadership" : $"transfer leadership to {node}";
        return MembershipAsync(new MembershipRequest(operation, node, IsChange: true, IsTransfer: true), (g, ct) => g.TransferLeadership(node, ct), cancellationToken);
    }

    /// <summary>What the retry loop and the error messages need to know about one membership call.</summary>
    /// <param name="Operation">How messages name it: <c>promote node3</c>.</param>
    /// <param name="IsChange">It changes the group (everything but the listing), so it is never sent twice.</param>
    private sealed record MembershipRequest(string Operation, string? Node, bool IsChange, bool IsTransfer = false);
}
