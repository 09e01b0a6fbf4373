namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>What one run of the CLI did: its exit code and everything it printed.</summary>
internal sealed record CliResult(string CommandLine, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>Exit code of the CLI for "cluster unavailable or timeout": retrying may help.</summary>
    public const int Unavailable = 3;

    public IReadOnlyList<string> StdoutLines => Lines(Stdout);

    public IReadOnlyList<string> StderrLines => Lines(Stderr);

    public bool Succeeded => ExitCode == 0;

    /// <summary>Everything, for assertion messages: a failing test shows exactly what the CLI did.</summary>
    public override string ToString() =>
        $"$ {CommandLine}{Environment.NewLine}exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s{Environment.NewLine}" +
        $"--- stdout ---{Environment.NewLine}{Stdout}--- stderr ---{Environment.NewLine}{Stderr}";

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
}
