using System.Diagnostics;

namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>
/// Runs the real CLI, <c>dotnet orleansraft-client.dll ARGS</c>, as a separate process, optionally feeding it
/// standard input, and captures its exit code and output. One process per call, as a user or a script runs it.
/// </summary>
internal static class CliRunner
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    public static Task<CliResult> RunAsync(IReadOnlyList<string> args, string? stdin) => RunProgramAsync("client", BuiltPrograms.Cli, args, stdin);

    /// <summary>Runs <c>dotnet PROGRAM ARGS</c> to completion (killed after <see cref="Deadline.CliProcess"/>).</summary>
    internal static async Task<CliResult> RunProgramAsync(string name, string program, IReadOnlyList<string> args, string? stdin)
    {
        var start = new ProcessStartInfo(BuiltPrograms.DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(program);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var commandLine = name + " " + string.Join(' ', args.Select(Quote)) + (stdin is null ? "" : " < script");

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {commandLine}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close(); // end of input: the shell answers what it read, then exits

        using var deadline = new CancellationTokenSource(Deadline.CliProcess);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{commandLine} did not exit within {Deadline.CliProcess.TotalSeconds:0} s; killed.{Environment.NewLine}" +
                $"--- stdout ---{Environment.NewLine}{await stdout}--- stderr ---{Environment.NewLine}{await stderr}");
        }
        return new CliResult(commandLine, process.ExitCode, await stdout, await stderr, watch.Elapsed);
    }

    private static string Quote(string arg) =>
        arg.Length == 0 ? "\"\"" : arg.Length > 60 ? $"<{arg.Length} chars>" : arg.Contains(' ') ? $"\"{arg}\"" : arg;
}
