using System.Globalization;
using OrleansRaft.Cli.Bench;
using OrleansRaft.Cli.Operations;
using OrleansRaft.Cli.Shell;
using OrleansRaft.Client;

namespace OrleansRaft.Cli.Arguments;

/// <summary>
/// Plain argument parsing. Options (<c>--name VALUE</c> or <c>--name=VALUE</c>) may appear before or after the
/// command; everything after <c>--</c> is positional, for values that start with <c>--</c>. A single dash is
/// not an option marker (so <c>set n -1</c> works), except for <c>-h</c>.
/// </summary>
internal static class ArgumentParser
{
    private const double MaxTimeoutSeconds = 86_400;

    public static CliInvocation Parse(IReadOnlyList<string> args)
    {
        var settings = CliSettings.Default;
        var help = false;
        var positional = new List<string>();
        var benchOptions = new List<(string Name, string Value)>();
        var learner = false;
        var optionsEnded = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded || !IsOption(arg))
            {
                positional.Add(arg);
                continue;
            }
            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }
            var equals = arg.IndexOf('=');
            var name = equals < 0 ? arg : arg[..equals];
            string? inline = equals < 0 ? null : arg[(equals + 1)..];
            switch (name)
            {
                case "-h" or "--help":
                    NoValue(name, inline);
                    help = true;
                    break;
                case "--stale":
                    NoValue(name, inline);
                    settings = settings with { Stale = true };
                    break;
                case MembershipGrammar.LearnerOption:
                    NoValue(name, inline);
                    learner = true;
                    break;
                case "--gateway" or "--gateways":
                    settings = settings with { Gateways = ParseGateways(name, inline ?? NextValue(args, ref i, name)) };
                    break;
                case "--group":
                    settings = settings with { Group = ParseGroup(inline ?? NextValue(args, ref i, name)) };
                    break;
                case "--timeout":
                    settings = settings with { Timeout = ParseTimeout(inline ?? NextValue(args, ref i, name)) };
                    break;
                case var _ when BenchOptionParser.IsBenchOption(name):
                    benchOptions.Add((name, inline ?? NextValue(args, ref i, name)));
                    break;
                default:
                    throw new UsageException($"unknown option '{name}' (put '--' before a value that starts with '-')");
            }
        }

        if (help) return new CliInvocation(CliCommand.Help, settings);
        if (positional.Count == 0) throw new UsageException("no command given (run with --help for usage)");
        var command = positional[0];
        var rest = positional.Skip(1).ToList();
        var isBench = command.Equals("bench", StringComparison.OrdinalIgnoreCase);
        if (!isBench && benchOptions.Count > 0)
            throw new UsageException($"option {benchOptions[0].Name} is for the bench command only");
        if (MembershipGrammar.IsCommand(command))
            return new CliInvocation(CliCommand.Membership, settings, Membership: MembershipGrammar.Build(command, rest, learner));
        if (learner) throw new UsageException($"option {MembershipGrammar.LearnerOption} is for 'member add' only");
        switch (command.ToLowerInvariant())
        {
            case "bench":
                NoArguments(command, rest);
                return new CliInvocation(CliCommand.Bench, settings, Bench: BenchOptionParser.Build(benchOptions));
            case "help":
                return new CliInvocation(CliCommand.Help, settings);
            case "status":
                NoArguments(command, rest);
                return new CliInvocation(CliCommand.Status, settings);
            case "shell":
                NoArguments(command, rest);
                return new CliInvocation(CliCommand.Shell, settings);
        }
        if (!KvGrammar.TryGetVerb(command, out var verb))
            throw new UsageException($"unknown command '{command}' (run with --help for usage)");
        // Arguments of the command line arrive unquoted: a bare NIL means "absent", as in the shell.
        var operation = KvGrammar.Build(verb, rest.Select(a => new ShellWord(a, Quoted: false)).ToList(), settings.Stale);
        return new CliInvocation(CliCommand.Kv, settings, operation);
    }

    private static bool IsOption(string arg) => arg.StartsWith("--", StringComparison.Ordinal) || arg == "-h";

    private static void NoValue(string name, string? inline)
    {
        if (inline is not null) throw new UsageException($"option {name} takes no value");
    }

    private static void NoArguments(string command, List<string> rest)
    {
        if (rest.Count > 0) throw new UsageException($"'{command}' takes no arguments (got '{rest[0]}')");
    }

    private static string NextValue(IReadOnlyList<string> args, ref int i, string name)
    {
        if (i + 1 >= args.Count || IsOption(args[i + 1])) throw new UsageException($"option {name} needs a value");
        return args[++i];
    }

    internal static IReadOnlyList<GatewayAddress> ParseGateways(string option, string text)
    {
        try
        {
            return GatewayAddress.ParseList(text);
        }
        catch (FormatException e)
        {
            throw new UsageException($"{option}: {e.Message} (a comma-separated list, like 127.0.0.2:30000,127.0.0.3:30000)");
        }
    }

    private static string ParseGroup(string text)
    {
        try
        {
            KvArguments.ValidateGroup(text);
            return text;
        }
        catch (ArgumentException)
        {
            throw new UsageException($"invalid --group '{text}': a group name is non-empty and has no '/'");
        }
    }

    internal static TimeSpan ParseTimeout(string text)
    {
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || !(seconds > 0 && seconds <= MaxTimeoutSeconds))
            throw new UsageException($"invalid --timeout '{text}': expected seconds, more than 0 and at most {MaxTimeoutSeconds}");
        return TimeSpan.FromSeconds(seconds);
    }
}
