using OrleansRaft.Cli.Arguments;

namespace OrleansRaft.Cli.Operations;

/// <summary>
/// The command-line grammar of <c>member list | add NODE [--learner] | promote NODE | remove NODE</c> and
/// <c>leader transfer [NODE]</c>: subcommands in any case, and their synopses for usage errors.
/// </summary>
internal static class MembershipGrammar
{
    public const string MemberCommand = "member";
    public const string LeaderCommand = "leader";
    public const string LearnerOption = "--learner";
    public const string MemberSynopsis = "member list | member add NODE [--learner] | member promote NODE | member remove NODE";
    public const string LeaderSynopsis = "leader transfer [NODE]";

    private static readonly Dictionary<string, MembershipVerb> MemberVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["list"] = MembershipVerb.List,
        ["add"] = MembershipVerb.Add,
        ["promote"] = MembershipVerb.Promote,
        ["remove"] = MembershipVerb.Remove,
    };

    public static bool IsCommand(string word) =>
        word.Equals(MemberCommand, StringComparison.OrdinalIgnoreCase) || word.Equals(LeaderCommand, StringComparison.OrdinalIgnoreCase);

    public static string Synopsis(MembershipVerb verb) => verb switch
    {
        MembershipVerb.List => "member list",
        MembershipVerb.Add => "member add NODE [--learner]",
        MembershipVerb.Promote => "member promote NODE",
        MembershipVerb.Remove => "member remove NODE",
        MembershipVerb.Transfer => LeaderSynopsis,
        _ => throw new ArgumentOutOfRangeException(nameof(verb), verb, null),
    };

    /// <summary>Builds the operation from the words after <paramref name="command"/> (<c>member</c> or <c>leader</c>).
    /// <paramref name="learner"/> is whether <c>--learner</c> was given. Throws <see cref="UsageException"/>.</summary>
    public static MembershipOperation Build(string command, IReadOnlyList<string> args, bool learner)
    {
        var isMember = command.Equals(MemberCommand, StringComparison.OrdinalIgnoreCase);
        var synopsis = isMember ? MemberSynopsis : LeaderSynopsis;
        if (args.Count == 0) throw new UsageException($"expected '{synopsis}'");
        MembershipVerb verb;
        if (isMember)
        {
            if (!MemberVerbs.TryGetValue(args[0], out verb))
                throw new UsageException($"unknown subcommand 'member {args[0]}': expected '{synopsis}'");
        }
        else if (args[0].Equals("transfer", StringComparison.OrdinalIgnoreCase)) verb = MembershipVerb.Transfer;
        else throw new UsageException($"unknown subcommand 'leader {args[0]}': expected '{synopsis}'");

        if (learner && verb != MembershipVerb.Add) throw new UsageException($"option {LearnerOption} is for 'member add' only");
        var rest = args.Skip(1).ToList();
        var (min, max) = verb switch
        {
            MembershipVerb.List => (0, 0),
            MembershipVerb.Transfer => (0, 1),
            _ => (1, 1),
        };
        if (rest.Count < min || rest.Count > max)
            throw new UsageException($"expected '{Synopsis(verb)}' (got {rest.Count} argument{(rest.Count == 1 ? "" : "s")})");
        return new MembershipOperation(verb, rest.Count == 0 ? null : rest[0], learner);
    }
}
