using OrleansRaft.Cli.Arguments;
using OrleansRaft.Cli.Operations;

namespace OrleansRaft.Client.Tests.Cli;

public class MembershipArgumentTests
{
    [Theory]
    [InlineData(new[] { "member", "list" }, nameof(MembershipVerb.List), null, false)]
    [InlineData(new[] { "MEMBER", "LIST" }, nameof(MembershipVerb.List), null, false)]
    [InlineData(new[] { "member", "add", "node3" }, nameof(MembershipVerb.Add), "node3", false)]
    [InlineData(new[] { "member", "add", "node3", "--learner" }, nameof(MembershipVerb.Add), "node3", true)]
    [InlineData(new[] { "--learner", "member", "add", "node3" }, nameof(MembershipVerb.Add), "node3", true)]
    [InlineData(new[] { "member", "Promote", "node3" }, nameof(MembershipVerb.Promote), "node3", false)]
    [InlineData(new[] { "member", "remove", "node2" }, nameof(MembershipVerb.Remove), "node2", false)]
    [InlineData(new[] { "leader", "transfer" }, nameof(MembershipVerb.Transfer), null, false)]
    [InlineData(new[] { "leader", "transfer", "node1" }, nameof(MembershipVerb.Transfer), "node1", false)]
    [InlineData(new[] { "member", "remove", "--", "--odd" }, nameof(MembershipVerb.Remove), "--odd", false)]
    public void Membership_commands_build_their_operation(string[] args, string verb, string? node, bool learner)
    {
        var invocation = ArgumentParser.Parse(args);
        Assert.Equal(CliCommand.Membership, invocation.Command);
        Assert.Equal(new MembershipOperation(Enum.Parse<MembershipVerb>(verb), node, learner), invocation.Membership);
        Assert.Null(invocation.Operation);
    }

    [Fact]
    public void Global_options_apply_to_membership_commands()
    {
        var invocation = ArgumentParser.Parse(["member", "list", "--group", "locks", "--timeout", "60"]);
        Assert.Equal("locks", invocation.Settings.Group);
        Assert.Equal(TimeSpan.FromSeconds(60), invocation.Settings.Timeout);
    }

    [Theory]
    [InlineData(new[] { "member" }, "expected 'member list | member add NODE [--learner] | member promote NODE | member remove NODE'")]
    [InlineData(new[] { "member", "join", "node3" }, "unknown subcommand 'member join': expected 'member list | member add NODE")]
    [InlineData(new[] { "member", "list", "x" }, "expected 'member list' (got 1 argument)")]
    [InlineData(new[] { "member", "add" }, "expected 'member add NODE [--learner]' (got 0 arguments)")]
    [InlineData(new[] { "member", "add", "a", "b" }, "expected 'member add NODE [--learner]' (got 2 arguments)")]
    [InlineData(new[] { "member", "promote" }, "expected 'member promote NODE' (got 0 arguments)")]
    [InlineData(new[] { "member", "remove" }, "expected 'member remove NODE' (got 0 arguments)")]
    [InlineData(new[] { "leader" }, "expected 'leader transfer [NODE]'")]
    [InlineData(new[] { "leader", "elect" }, "unknown subcommand 'leader elect': expected 'leader transfer [NODE]'")]
    [InlineData(new[] { "leader", "transfer", "a", "b" }, "expected 'leader transfer [NODE]' (got 2 arguments)")]
    [InlineData(new[] { "member", "promote", "node3", "--learner" }, "option --learner is for 'member add' only")]
    [InlineData(new[] { "member", "list", "--learner" }, "option --learner is for 'member add' only")]
    [InlineData(new[] { "leader", "transfer", "--learner" }, "option --learner is for 'member add' only")]
    [InlineData(new[] { "get", "k", "--learner" }, "option --learner is for 'member add' only")]
    [InlineData(new[] { "status", "--learner" }, "option --learner is for 'member add' only")]
    [InlineData(new[] { "member", "add", "node3", "--learner=yes" }, "option --learner takes no value")]
    [InlineData(new[] { "member", "add", "node3", "--voter" }, "unknown option '--voter'")]
    public void Bad_membership_command_lines_are_usage_errors(string[] args, string message)
    {
        var e = Assert.Throws<UsageException>(() => ArgumentParser.Parse(args));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData(nameof(MembershipVerb.Add), "")]
    [InlineData(nameof(MembershipVerb.Promote), " ")]
    [InlineData(nameof(MembershipVerb.Remove), "")]
    [InlineData(nameof(MembershipVerb.Transfer), "\t")]
    public void Empty_node_names_fail_validation(string verb, string node)
    {
        var e = Assert.Throws<ArgumentException>(() => new MembershipOperation(Enum.Parse<MembershipVerb>(verb), node).Validate());
        Assert.Equal("node", e.ParamName);
    }

    [Fact]
    public void List_and_a_transfer_to_any_voter_need_no_node()
    {
        new MembershipOperation(MembershipVerb.List).Validate();
        new MembershipOperation(MembershipVerb.Transfer).Validate();
        Assert.Throws<ArgumentNullException>(() => new MembershipOperation(MembershipVerb.Add).Validate());
    }
}
