using OrleansRaft.Cli.Output;
using OrleansRaft.Membership;

namespace OrleansRaft.Client.Tests.Cli;

public class MembersTableTests
{
    internal static readonly GroupMembership FourMembers = new("kv", "kv/0", 3, 1050,
    [
        new MemberInfo("kv/0", "node0", MemberRole.Voter, IsLeader: true, 1052, 0, Responsive: true),
        new MemberInfo("kv/1", "node1", MemberRole.Voter, IsLeader: false, 1052, 0, Responsive: true),
        new MemberInfo("kv/2", "node2", MemberRole.Voter, IsLeader: false, 1040, 12, Responsive: false),
        new MemberInfo("kv/1051@node3", "node3", MemberRole.Learner, IsLeader: false, 310, 742, Responsive: true),
    ]);

    [Fact]
    public void Renders_a_summary_and_an_aligned_row_per_member()
    {
        var expected = string.Join(Environment.NewLine,
            "group kv: term 3, leader kv/0, 3 voters and 1 learner since log index 1050",
            "PEER           NODE   ROLE     LEADER  MATCH  LAG  RESPONSIVE",
            "kv/0           node0  voter    *       1052   0    yes",
            "kv/1           node1  voter    -       1052   0    yes",
            "kv/2           node2  voter    -       1040   12   no",
            "kv/1051@node3  node3  learner  -       310    742  yes",
            "");
        Assert.Equal(expected, MembersTable.Format(FourMembers));
    }

    [Fact]
    public void The_bootstrap_configuration_of_one_voter_without_leader()
    {
        var membership = new GroupMembership("g", null, 1, 0, [new MemberInfo("g/0", "n", MemberRole.Voter, false, 0, 0, false)]);
        Assert.Equal(
            ["group g: term 1, leader none, 1 voter as bootstrapped", "PEER  NODE  ROLE   LEADER  MATCH  LAG  RESPONSIVE", "g/0   n     voter  -       0      0    no"],
            MembersTable.Format(membership).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Two_learners_are_counted_in_the_plural()
    {
        var membership = FourMembers with { Members = [.. FourMembers.Members, new MemberInfo("kv/1060@node4", "node4", MemberRole.Learner, false, 0, 1052, true)] };
        Assert.StartsWith("group kv: term 3, leader kv/0, 3 voters and 2 learners since log index 1050", MembersTable.Format(membership));
    }
}
