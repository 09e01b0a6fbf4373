using Microsoft.Extensions.Options;
using OrleansRaft.Cli.Arguments;
using OrleansRaft.Client;
using OrleansRaft.Kv;
using OrleansRaft.Membership;

namespace OrleansRaft.Cli.Errors;

/// <summary>
/// A failure as the user sees it: a stable code (the word after <c>ERR</c> in the shell), a one-line message and
/// the exit code of a single command. Every exception the CLI can meet ends up here, so none escapes as a stack trace.
/// </summary>
internal sealed record CliError(string Code, string Message, int ExitCode)
{
    public const string UsageCode = "usage";
    public const string InvalidArgumentCode = "invalid-argument";
    public const string TimeoutCode = "timeout";
    public const string UnavailableCode = "unavailable";
    public const string UnknownGroupCode = "unknown-group";
    public const string LimitCode = "limit";
    public const string InternalCode = "internal";
    public const string NotAMemberCode = "not-a-member";
    public const string AlreadyMemberCode = "already-member";
    public const string LastVoterCode = "last-voter";
    public const string ChangePendingCode = "change-pending";
    public const string LearnerBehindCode = "learner-behind";
    public const string WouldLoseQuorumCode = "would-lose-quorum";
    public const string InvalidTargetCode = "invalid-target";

    public static CliError Usage(string message) => new(UsageCode, OneLine(message), ExitCodes.Usage);

    public static CliError From(Exception exception) => exception switch
    {
        UsageException e => Usage(e.Message),
        ArgumentException e => new(InvalidArgumentCode, OneLine(WithoutParameterSuffix(e)), ExitCodes.Usage),
        RaftKvException e => FromKv(e),
        RaftMembershipException e => FromMembership(e),
        OptionsValidationException e => Usage(e.Message),
        _ => new(InternalCode, OneLine($"{exception.GetType().Name}: {exception.Message}"), ExitCodes.Internal),
    };

    private static CliError FromKv(RaftKvException e)
    {
        var message = OneLine(e.Message);
        return e.Code switch
        {
            KvStatus.Timeout => new(TimeoutCode, message, ExitCodes.Unavailable),
            KvStatus.Unavailable => new(UnavailableCode, message, ExitCodes.Unavailable),
            KvStatus.LimitExceeded => new(LimitCode, message, ExitCodes.Unavailable),
            KvStatus.UnknownGroup => new(UnknownGroupCode, message, ExitCodes.Usage),
            KvStatus.InvalidArgument => new(InvalidArgumentCode, message, ExitCodes.Usage),
            _ => new(InternalCode, message, ExitCodes.Internal),
        };
    }

    /// <summary>A membership refusal names its outcome; the exit code says whether retrying can help (3: another change
    /// pending, the learner still behind, quorum at risk) or the request does not fit the group (1), as for KV errors.</summary>
    private static CliError FromMembership(RaftMembershipException e)
    {
        var message = OneLine(e.Message);
        return e.Code switch
        {
            MembershipOutcome.InvalidArgument => new(InvalidArgumentCode, message, ExitCodes.Usage),
            MembershipOutcome.UnknownGroup => new(UnknownGroupCode, message, ExitCodes.Usage),
            MembershipOutcome.NotAMember => new(NotAMemberCode, message, ExitCodes.Refused),
            MembershipOutcome.AlreadyMember => new(AlreadyMemberCode, message, ExitCodes.Refused),
            MembershipOutcome.LastVoter => new(LastVoterCode, message, ExitCodes.Refused),
            MembershipOutcome.InvalidTarget => new(InvalidTargetCode, message, ExitCodes.Refused),
            MembershipOutcome.ChangePending => new(ChangePendingCode, message, ExitCodes.Unavailable),
            MembershipOutcome.LearnerBehind => new(LearnerBehindCode, message, ExitCodes.Unavailable),
            MembershipOutcome.WouldLoseQuorum => new(WouldLoseQuorumCode, message, ExitCodes.Unavailable),
            MembershipOutcome.Timeout => new(TimeoutCode, message, ExitCodes.Unavailable),
            MembershipOutcome.Unavailable => new(UnavailableCode, message, ExitCodes.Unavailable),
            _ => new(InternalCode, message, ExitCodes.Internal),
        };
    }

    // ArgumentException appends " (Parameter 'key')" to its message; the CLI's messages already name the argument.
    private static string WithoutParameterSuffix(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);

    /// <summary>Protocol lines and error lines are one line each, whatever a message contains.</summary>
    internal static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
