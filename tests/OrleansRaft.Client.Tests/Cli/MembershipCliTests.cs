using OrleansRaft.Client.Tests.Support;
using OrleansRaft.Membership;

namespace OrleansRaft.Client.Tests.Cli;

/// <summary><c>member ...</c> and <c>leader transfer</c> through the whole CLI, against the in-memory store.</summary>
public class MembershipCliTests
{
    private const string Bootstrap = "group kv: term 2, leader kv/0, 3 voters as bootstrapped";
    private const string Header = "PEER  NODE   ROLE   LEADER  MATCH  LAG  RESPONSIVE";

    private readonly InMemoryRaftKv _kv = new();
    private readonly FakeConnector _connector;

    public MembershipCliTests() => _connector = _kv.Connector();

    private Task<CliResult> Run(params string[] args) => CliRun.RunAsync(_connector, args);

    [Fact]
    public async Task Member_list_prints_the_table()
    {
        var result = await Run("member", "list");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
        [
            Bootstrap,
            Header,
            "kv/0  node0  voter  *       7      0    yes",
            "kv/1  node1  voter  -       7      0    yes",
            "kv/2  node2  voter  -       7      0    yes",
        ], result.StdoutLines);
        Assert.Empty(result.Stderr);
        Assert.Equal(["list"], _kv.MembershipCalls);
    }

    [Fact]
    public async Task Member_add_says_what_it_added_then_prints_the_group_after_it()
    {
        var result = await Run("member", "add", "node3", "--learner");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
        [
            "added node3 as a learner (peer kv/100@node3)",
            "group kv: term 2, leader kv/0, 3 voters and 1 learner since log index 8",
            "PEER          NODE   ROLE     LEADER  MATCH  LAG  RESPONSIVE",
            "kv/0          node0  voter    *       7      0    yes",
            "kv/1          node1  voter    -       7      0    yes",
            "kv/2          node2  voter    -       7      0    yes",
            "kv/100@node3  node3  learner  -       7      0    yes",
        ], result.StdoutLines);
        Assert.Equal(["add-learner node3"], _kv.MembershipCalls);
    }

    [Fact]
    public async Task A_learner_is_promoted_and_a_voter_removed()
    {
        await Run("member", "add", "node3", "--learner");
        Assert.Equal("promoted node3 to voter (peer kv/100@node3)", (await Run("member", "promote", "node3")).StdoutLines[0]);
        var removed = await Run("member", "remove", "node1");
        Assert.Equal(0, removed.ExitCode);
        Assert.Equal("removed node1", removed.StdoutLines[0]);
        Assert.StartsWith("group kv: term 2, leader kv/0, 3 voters since log index 10", removed.StdoutLines[1]);
        Assert.DoesNotContain(removed.StdoutLines, l => l.Contains("node1", StringComparison.Ordinal) && l != "removed node1");
        Assert.Equal(["add-learner node3", "promote node3", "remove node1"], _kv.MembershipCalls);
    }

    [Fact]
    public async Task A_plain_add_joins_as_a_voter()
    {
        Assert.Equal("added node3 as a voter (peer kv/100@node3)", (await Run("member", "add", "node3")).StdoutLines[0]);
        Assert.Equal(["add node3"], _kv.MembershipCalls);
    }

    [Fact]
    public async Task Leader_transfer_names_the_new_leader()
    {
        var result = await Run("leader", "transfer", "node2");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("leadership moved to node2 (peer kv/2), term 3", result.StdoutLines[0]);
        Assert.Equal("kv/2  node2  voter  *       7      0    yes", result.StdoutLines[^1]);
        Assert.Equal("leadership moved to node0 (peer kv/0), term 4", (await Run("leader", "transfer")).StdoutLines[0]);
        Assert.Equal(["transfer node2", "transfer"], _kv.MembershipCalls);
    }

    [Theory]
    [InlineData(new[] { "member", "remove", "node9" }, 1, "error: not-a-member: refused by group 'kv': node9 hosts no member of group 'kv'")]
    [InlineData(new[] { "member", "add", "node1" }, 1, "error: already-member: refused by group 'kv': node1 already hosts member kv/1")]
    [InlineData(new[] { "member", "promote", "node1" }, 1, "error: already-member: refused by group 'kv': node1 already is a voter")]
    [InlineData(new[] { "leader", "transfer", "node7" }, 1, "error: not-a-member: refused by group 'kv': node7 hosts no member of group 'kv'")]
    public async Task A_refusal_is_one_error_line_naming_the_outcome(string[] args, int exitCode, string stderr)
    {
        Assert.Equal(new CliResult(exitCode, "", stderr + "\n"), await Run(args));
    }

    [Fact]
    public async Task The_last_voter_and_a_learner_as_target_are_refused()
    {
        _kv.Membership = new GroupMembership("kv", "kv/0", 2, 0,
            [new MemberInfo("kv/0", "node0", MemberRole.Voter, true, 7, 0, true), new MemberInfo("kv/5@node5", "node5", MemberRole.Learner, false, 7, 0, true)]);
        Assert.Equal(new CliResult(1, "", "error: last-voter: refused by group 'kv': node0 hosts the last voter\n"), await Run("member", "remove", "node0"));
        Assert.Equal(new CliResult(1, "", "error: invalid-target: refused by group 'kv': node5 hosts a learner\n"), await Run("leader", "transfer", "node5"));
    }

    [Theory]
    [InlineData(MembershipOutcome.LearnerBehind, "learner-behind", 3)]
    [InlineData(MembershipOutcome.ChangePending, "change-pending", 3)]
    [InlineData(MembershipOutcome.WouldLoseQuorum, "would-lose-quorum", 3)]
    [InlineData(MembershipOutcome.Unavailable, "unavailable", 3)]
    [InlineData(MembershipOutcome.UnknownGroup, "unknown-group", 2)]
    [InlineData(MembershipOutcome.InvalidArgument, "invalid-argument", 2)]
    public async Task Failures_from_the_group_are_one_line_with_their_exit_code(MembershipOutcome outcome, string code, int exitCode)
    {
        _kv.FailWith = new RaftMembershipException(outcome, "kv", "promote node3 refused by group 'kv': node3 is 5012 entries\nbehind the leader");
        var result = await Run("member", "promote", "node3");
        Assert.Equal(new CliResult(exitCode, "", $"error: {code}: promote node3 refused by group 'kv': node3 is 5012 entries behind the leader\n"), result);
    }

    [Fact]
    public async Task A_timeout_says_the_change_may_have_taken_effect_and_exits_3()
    {
        _kv.FailWith = new RaftMembershipException(MembershipOutcome.Timeout, "kv",
            "add node3: no answer from group 'kv' within 10s; the change may or may not have taken effect (list the members to see)", outcomeUnknown: true);
        Assert.Equal(
            new CliResult(3, "", "error: timeout: add node3: no answer from group 'kv' within 10s; the change may or may not have taken effect (list the members to see)\n"),
            await Run("member", "add", "node3"));
    }

    [Theory]
    [InlineData(new[] { "member", "add", "" }, "error: invalid-argument: The node name must not be empty.\n")]
    [InlineData(new[] { "member", "remove", "  " }, "error: invalid-argument: The node name must not be empty.\n")]
    [InlineData(new[] { "leader", "transfer", "" }, "error: invalid-argument: The node name must not be empty.\n")]
    [InlineData(new[] { "member", "frob" }, "error: usage: unknown subcommand 'member frob': expected 'member list | member add NODE [--learner] | member promote NODE | member remove NODE'\n")]
    [InlineData(new[] { "member", "promote", "node3", "--learner" }, "error: usage: option --learner is for 'member add' only\n")]
    public async Task Bad_input_is_exit_2_and_never_connects(string[] args, string stderr)
    {
        Assert.Equal(new CliResult(2, "", stderr), await Run(args));
        Assert.Equal(0, _connector.Connections);
        Assert.Empty(_kv.MembershipCalls);
    }

    [Fact]
    public async Task Help_lists_the_membership_commands()
    {
        var help = (await Run("--help")).Stdout;
        Assert.Contains("member list ", help);
        Assert.Contains("member add NODE [--learner]", help);
        Assert.Contains("member promote NODE", help);
        Assert.Contains("member remove NODE", help);
        Assert.Contains("leader transfer [NODE]", help);
        Assert.Contains("learner-behind", help);
    }
}
