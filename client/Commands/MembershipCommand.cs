using OrleansRaft.Cli.Errors;
using OrleansRaft.Cli.Operations;
using OrleansRaft.Cli.Output;
using OrleansRaft.Client;
using OrleansRaft.Membership;

namespace OrleansRaft.Cli.Commands;

/// <summary>
/// <c>member list | add | promote | remove</c> and <c>leader transfer</c>: on success, a line saying what changed (not
/// for list), then the members table of the group after it; exit 0. A refusal or failure is a
/// <see cref="RaftMembershipException"/>, which <c>CliApp</c> turns into one <c>error: CODE: message</c> line and the
/// exit code of <see cref="CliError"/>.
/// </summary>
internal static class MembershipCommand
{
    public static async Task<int> RunAsync(IRaftKv kv, MembershipOperation operation, TextWriter stdout, CancellationToken cancellationToken)
    {
        var membership = operation.Verb switch
        {
            MembershipVerb.List => await kv.ListMembersAsync(cancellationToken),
            MembershipVerb.Add => await kv.AddMemberAsync(operation.Node!, operation.AsLearner, cancellationToken),
            MembershipVerb.Promote => await kv.PromoteMemberAsync(operation.Node!, cancellationToken),
            MembershipVerb.Remove => await kv.RemoveMemberAsync(operation.Node!, cancellationToken),
            MembershipVerb.Transfer => await kv.TransferLeadershipAsync(operation.Node, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation.Verb, null),
        };
        if (Done(operation, membership) is { } done) await stdout.WriteLineAsync(done);
        await stdout.WriteAsync(MembersTable.Format(membership));
        return ExitCodes.Success;
    }

    /// <summary>The line that confirms a change, from the configuration after it (null for list).</summary>
    internal static string? Done(MembershipOperation operation, GroupMembership after)
    {
        var member = operation.Node is null ? null : after.Members.FirstOrDefault(m => m.Node == operation.Node);
        var peer = member is null ? "" : $" (peer {member.Peer})";
        switch (operation.Verb)
        {
            case MembershipVerb.List:
                return null;
            case MembershipVerb.Add:
                return member is null ? $"added {operation.Node}" : $"added {operation.Node} as a {MembersTable.RoleName(member.Role)}{peer}";
            case MembershipVerb.Promote:
                return $"promoted {operation.Node} to voter{peer}";
            case MembershipVerb.Remove:
                return $"removed {operation.Node}";
            case MembershipVerb.Transfer:
                var leader = after.Members.FirstOrDefault(m => m.IsLeader);
                if (leader is not null) return $"leadership moved to {leader.Node} (peer {leader.Peer}), term {after.Term}";
                return after.Leader is null ? "leadership moved; no leader is known yet" : $"leadership moved to {after.Leader}, term {after.Term}";
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation.Verb, null);
        }
    }
}
