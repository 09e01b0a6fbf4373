using OrleansRaft.Cli;
using OrleansRaft.Cli.Errors;
using OrleansRaft.Membership;

namespace OrleansRaft.Client.Tests.Cli;

public class MembershipErrorTests
{
    [Theory]
    [InlineData(MembershipOutcome.InvalidArgument, "invalid-argument", ExitCodes.Usage)]
    [InlineData(MembershipOutcome.UnknownGroup, "unknown-group", ExitCodes.Usage)]
    [InlineData(MembershipOutcome.NotAMember, "not-a-member", 1)]
    [InlineData(MembershipOutcome.AlreadyMember, "already-member", 1)]
    [InlineData(MembershipOutcome.LastVoter, "last-voter", 1)]
    [InlineData(MembershipOutcome.InvalidTarget, "invalid-target", 1)]
    [InlineData(MembershipOutcome.ChangePending, "change-pending", ExitCodes.Unavailable)]
    [InlineData(MembershipOutcome.LearnerBehind, "learner-behind", ExitCodes.Unavailable)]
    [InlineData(MembershipOutcome.WouldLoseQuorum, "would-lose-quorum", ExitCodes.Unavailable)]
    [InlineData(MembershipOutcome.Timeout, "timeout", ExitCodes.Unavailable)]
    [InlineData(MembershipOutcome.Unavailable, "unavailable", ExitCodes.Unavailable)]
    public void Outcomes_map_to_codes_and_exit_codes(MembershipOutcome outcome, string code, int exitCode)
    {
        var error = CliError.From(new RaftMembershipException(outcome, "kv", "what\nhappened"));
        Assert.Equal(new CliError(code, "what happened", exitCode), error);
    }

    [Fact]
    public void Every_error_outcome_has_a_code_of_its_own()
    {
        var codes = Enum.GetValues<MembershipOutcome>().Where(o => o != MembershipOutcome.Ok)
            .Select(o => CliError.From(new RaftMembershipException(o, "kv", "m")).Code).ToArray();
        Assert.DoesNotContain(CliError.InternalCode, codes);
        Assert.Equal(codes.Length, codes.Distinct().Count());
    }

    [Fact]
    public void The_error_line_names_the_outcome()
    {
        var e = new RaftMembershipException(MembershipOutcome.LearnerBehind, "kv", "promote node3 refused by group 'kv': node3 is 5012 entries behind the leader");
        Assert.Equal("error: learner-behind: promote node3 refused by group 'kv': node3 is 5012 entries behind the leader", CliApp.ErrorLine(CliError.From(e)));
    }
}
