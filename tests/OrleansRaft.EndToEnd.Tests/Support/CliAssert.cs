using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>Exact assertions on a CLI run; a failure shows the whole run (command, exit code, both streams).</summary>
internal static class CliAssert
{
    /// <summary>The run exited with <paramref name="exitCode"/>, printed exactly <paramref name="stdout"/> and nothing on stderr.</summary>
    public static void Prints(CliResult result, int exitCode, params string[] stdout)
    {
        if (result.ExitCode != exitCode || !result.StdoutLines.SequenceEqual(stdout) || result.Stderr.Length != 0)
            throw new XunitException($"expected exit {exitCode}, stdout [{string.Join(" | ", stdout)}] and an empty stderr; got:{Environment.NewLine}{result}");
    }

    /// <summary>
    /// The run failed as a user-facing error should: exit <paramref name="exitCode"/>, nothing on stdout, and one
    /// line on stderr matching <paramref name="stderrLine"/>, with no stack trace.
    /// </summary>
    public static void FailsWith(CliResult result, int exitCode, string stderrLine)
    {
        var lines = result.StderrLines;
        if (result.ExitCode != exitCode || result.Stdout.Length != 0 || lines.Count != 1 || !Regex.IsMatch(lines[0], stderrLine))
            throw new XunitException($"expected exit {exitCode}, an empty stdout and one stderr line matching /{stderrLine}/; got:{Environment.NewLine}{result}");
        if (result.Stderr.Contains("   at ", StringComparison.Ordinal))
            throw new XunitException($"a stack trace leaked to stderr:{Environment.NewLine}{result}");
    }
}
