using System.Text;
using OrleansRaft.Membership;

namespace OrleansRaft.Cli.Output;

/// <summary>
/// Renders <c>member list</c> (and the group after every membership change): a summary line, then one row per member
/// in the leader's order: peer, node, voter or learner, <c>*</c> on the leader, match index, lag behind the leader's
/// last index, and whether the leader heard from it lately.
/// </summary>
internal static class MembersTable
{
    public const string LeaderMark = "*";

    private static readonly string[] Header = ["PEER", "NODE", "ROLE", "LEADER", "MATCH", "LAG", "RESPONSIVE"];

    public static string Format(GroupMembership membership)
    {
        var voters = membership.Members.Count(m => m.Role == MemberRole.Voter);
        var learners = membership.Members.Length - voters;
        var members = TextTable.Count(voters, "voter") + (learners > 0 ? " and " + TextTable.Count(learners, "learner") : "");
        var text = new StringBuilder()
            .Append($"group {membership.Group}: term {TextTable.Number(membership.Term)}, leader {membership.Leader ?? "none"}, ")
            .Append($"{members} {Since(membership.ConfigIndex)}")
            .AppendLine();
        var rows = new List<string[]> { Header };
        foreach (var m in membership.Members)
        {
            rows.Add([
                m.Peer, m.Node, RoleName(m.Role), m.IsLeader ? LeaderMark : TextTable.None,
                TextTable.Number(m.Match), TextTable.Number(m.Lag), m.Responsive ? "yes" : "no",
            ]);
        }
        TextTable.Append(text, rows);
        return text.ToString();
    }

    /// <summary>Where the configuration in force comes from: "as bootstrapped", or "since log index N" (its change's index).</summary>
    public static string Since(long configIndex) => configIndex == 0 ? "as bootstrapped" : $"since log index {TextTable.Number(configIndex)}";

    public static string RoleName(MemberRole role) => role switch
    {
        MemberRole.Voter => "voter",
        MemberRole.Learner => "learner",
        _ => role.ToString().ToLowerInvariant(),
    };
}
