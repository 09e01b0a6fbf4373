using OrleansRaft.Cli.Arguments;
using OrleansRaft.Cli.Operations;

namespace OrleansRaft.Cli.Shell;

/// <summary>Reads one shell line (<c>SET k v</c>, <c>GET k [--stale]</c>, <c>DEL k</c>, <c>CAS k expected new</c>,
/// <c>APPEND k v</c>) into a <see cref="KvOperation"/>, with the quoting rule of <see cref="ShellQuoting"/>.</summary>
internal static class ShellLineParser
{
    private const string StaleFlag = "--stale";

    /// <summary>True for lines that are not commands and get no answer: blank lines and <c>#</c> comments.</summary>
    public static bool IsIgnorable(string line)
    {
        var trimmed = line.AsSpan().Trim();
        return trimmed.IsEmpty || trimmed[0] == '#';
    }

    /// <param name="staleByDefault">Whether GET reads stale without saying <c>--stale</c> (the global option).</param>
    public static KvOperation Parse(string line, bool staleByDefault = false)
    {
        var words = ShellQuoting.Split(line);
        if (words.Count == 0) throw new UsageException("empty command");
        if (!KvGrammar.TryGetVerb(words[0].Text, out var verb))
        {
            // The shell speaks the KV protocol only (one answer line per command); status and membership are tables.
            var administration = words[0].Text.Equals("status", StringComparison.OrdinalIgnoreCase) || MembershipGrammar.IsCommand(words[0].Text)
                ? $" ('{words[0].Text.ToLowerInvariant()}' is a command of its own: run orleansraft-client {words[0].Text.ToLowerInvariant()} ...)"
                : "";
            throw new UsageException($"unknown command '{words[0].Text}': use SET, GET, DEL, CAS or APPEND{administration}");
        }
        var args = words.Skip(1).ToList();
        var stale = staleByDefault;
        if (verb == KvVerb.Get && args.Count > 0 && args[^1] is { Quoted: false, Text: StaleFlag })
        {
            stale = true;
            args.RemoveAt(args.Count - 1);
        }
        return KvGrammar.Build(verb, args, stale);
    }
}
