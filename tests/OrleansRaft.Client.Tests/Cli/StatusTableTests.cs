using OrleansRaft.Cli.Output;
using OrleansRaft.Kv;
using OrleansRaft.Membership;
using OrleansRaft.Peers;

namespace OrleansRaft.Client.Tests.Cli;

public class StatusTableTests
{
    [Fact]
    public void Renders_an_aligned_row_per_peer_and_explains_missing_ones()
    {
        var list = new PeerStatusList("kv",
        [
            new PeerStatus("kv/0", "S127.0.0.1:11111:1", "Leader", 3, "kv/0", 42, 42, 1, 42),
            null,
            new PeerStatus("kv/2", "S127.0.0.1:11113:1", "Follower", 3, "kv/0", 40, 39, 11, 41),
        ],
        [null, "timed out\nafter 1s", null]);

        var expected = string.Join(Environment.NewLine,
            "group kv: 2 of 3 peers answered",
            "PEER  SILO                ROLE         TERM  LEADER  COMMIT  APPLIED  LOG",
            "kv/0  S127.0.0.1:11111:1  Leader       3     kv/0    42      42       42",
            "kv/1  -                   unreachable  -     -       -       -        -",
            "kv/2  S127.0.0.1:11113:1  Follower     3     kv/0    40      39       31",
            "kv/1: timed out after 1s",
            "");
        Assert.Equal(expected, StatusTable.Format(list));
    }

    [Fact]
    public void A_peer_without_leader_or_log_shows_dash_and_zero()
    {
        var list = new PeerStatusList("g", [new PeerStatus("g/0", "S", "Candidate", 7, null, 0, 0, 1, 0)], [null]);
        Assert.Contains("g/0   S     Candidate  7     -       0       0        0", StatusTable.Format(list));
    }

    [Fact]
    public void Missing_errors_say_no_answer()
    {
        var text = StatusTable.Format(new PeerStatusList("g", [null], []));
        Assert.Contains("g/0: no answer", text);
        Assert.StartsWith("group g: 0 of 1 peers answered", text);
    }

    private static readonly string[] Bootstrap = ["kv/0", "kv/1", "kv/2"];

    [Fact]
    public void Then_each_peers_node_membership_match_and_lag_from_the_leader_and_members_no_row_stands_for()
    {
        var list = new PeerStatusList("kv",
        [
            new PeerStatus("kv/0", "S127.0.0.1:11111:1", "Leader", 3, "kv/0", 1052, 1052, 1, 1052,
                "node0", Bootstrap, ["kv/1051@node3"], 1050, MembersTableTests.FourMembers.Members),
            new PeerStatus("kv/1", "S127.0.0.1:11112:1", "Follower", 3, "kv/0", 1052, 1050, 1001, 1052, "node1", Bootstrap, ["kv/1051@node3"], 1050),
            null,
        ],
        [null, null, "timed out after 1s"]);

        var expected = string.Join(Environment.NewLine,
            "group kv: 2 of 3 peers answered",
            "PEER  SILO                ROLE         TERM  LEADER  COMMIT  APPLIED  LOG",
            "kv/0  S127.0.0.1:11111:1  Leader       3     kv/0    1052    1052     1052",
            "kv/1  S127.0.0.1:11112:1  Follower     3     kv/0    1052    1050     52",
            "kv/2  -                   unreachable  -     -       -       -        -",
            "kv/2: timed out after 1s",
            "",
            "members since log index 1050, match and lag from leader kv/0:",
            "PEER           NODE   MEMBER   MATCH  LAG",
            "kv/0           node0  voter    1052   0",
            "kv/1           node1  voter    1052   0",
            "kv/2           node2  voter    1040   12",
            "kv/1051@node3  node3  learner  310    742",
            "");
        var text = StatusTable.Format(list);
        Assert.Equal(expected, text);
        // Scripts count the lines that say Leader or Follower (tests/bench/failover.sh): the section must not add any.
        Assert.Equal(2, text.Split(Environment.NewLine).Count(l => l.Contains("Leader", StringComparison.Ordinal) || l.Contains("Follower", StringComparison.Ordinal)));
    }

    [Fact]
    public void Without_a_leader_the_latest_configuration_says_who_is_a_member_and_match_and_lag_are_dashes()
    {
        var list = new PeerStatusList("g",
        [
            new PeerStatus("g/0", "S0", "Follower", 5, null, 40, 40, 1, 41, "n0", ["g/0", "g/1"], [], 40),
            new PeerStatus("g/1", "S1", "Candidate", 6, null, 40, 40, 1, 41, "n1", ["g/0", "g/1"], [], 40),
            new PeerStatus("g/2", "S2", "Follower", 5, null, 30, 30, 1, 30, "n2", ["g/0", "g/1", "g/2"], [], 0, Removed: true),
        ],
        [null, null, null]);

        Assert.EndsWith(string.Join(Environment.NewLine,
            "",
            "members since log index 40 (no leader answered: match and lag unknown):",
            "PEER  NODE  MEMBER   MATCH  LAG",
            "g/0   n0    voter    -      -",
            "g/1   n1    voter    -      -",
            "g/2   n2    removed  -      -",
            ""), StatusTable.Format(list));
    }

    [Fact]
    public void A_peer_the_leaders_configuration_has_no_place_for_is_removed_and_a_handover_is_named()
    {
        MemberInfo[] members =
        [
            new("kv/0", "node0", MemberRole.Voter, true, 90, 0, true),
            new("kv/1", "node1", MemberRole.Voter, false, 90, 0, true),
        ];
        var list = new PeerStatusList("kv",
        [
            new PeerStatus("kv/0", "S0", "Leader", 4, "kv/0", 90, 90, 1, 90, "node0", ["kv/0", "kv/1"], [], 88, members, LeadTransferee: "kv/1"),
            new PeerStatus("kv/1", "S1", "Follower", 4, "kv/0", 90, 90, 1, 90, "node1", ["kv/0", "kv/1"], [], 88),
            null,
        ],
        [null, null, "no answer"]);

        Assert.EndsWith(string.Join(Environment.NewLine,
            "members since log index 88, match and lag from leader kv/0, which is handing over to kv/1:",
            "PEER  NODE   MEMBER   MATCH  LAG",
            "kv/0  node0  voter    90     0",
            "kv/1  node1  voter    90     0",
            "kv/2  -      removed  -      -",
            ""), StatusTable.Format(list));
    }

    [Fact]
    public void An_added_peer_only_the_configuration_names_gets_its_node_from_its_key()
    {
        var list = new PeerStatusList("kv",
            [new PeerStatus("kv/0", "S0", "Follower", 2, null, 5, 5, 1, 5, "node0", ["kv/0"], ["kv/4@node3"], 4)], [null]);
        Assert.EndsWith("kv/4@node3  node3  learner  -      -" + Environment.NewLine, StatusTable.Format(list));
    }
}
