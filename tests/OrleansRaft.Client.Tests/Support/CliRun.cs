using OrleansRaft.Cli;

namespace OrleansRaft.Client.Tests.Support;

/// <summary>The result of running the CLI in process: exit code and both output streams.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}

internal static class CliRun
{
    public static async Task<CliResult> RunAsync(FakeConnector connector, string stdin, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = await CliApp.RunAsync(args, new StringReader(stdin), stdout, stderr, connector.ConnectAsync, CancellationToken.None);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public static Task<CliResult> RunAsync(FakeConnector connector, params string[] args) => RunAsync(connector, "", args);
}
