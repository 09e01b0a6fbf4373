using OrleansRaft.Cli.Errors;
using OrleansRaft.Cli.Operations;
using OrleansRaft.Cli.Output;
using OrleansRaft.Client;

namespace OrleansRaft.Cli.Shell;

/// <summary>
/// The line shell: reads commands until end of input and writes exactly one answer line per command, flushed
/// at once so a program driving the shell through a pipe can wait for each answer. An error answers its own
/// line and the session goes on; only end of input (exit 0) or Ctrl+C ends it.
/// </summary>
internal static class ShellSession
{
    public static async Task<int> RunAsync(IRaftKv kv, TextReader input, TextWriter output, bool staleByDefault, CancellationToken cancellationToken)
    {
        while (await ReadLineAsync(input, cancellationToken) is { } line)
        {
            if (ShellLineParser.IsIgnorable(line)) continue;
            KvOutcome outcome;
            try
            {
                var operation = ShellLineParser.Parse(line, staleByDefault);
                outcome = await KvOperationRunner.RunAsync(kv, operation, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcome = KvOutcome.Failed(CliError.From(e));
            }
            await output.WriteLineAsync(ProtocolFormatter.Format(outcome));
            await output.FlushAsync(cancellationToken);
        }
        return ExitCodes.Success;
    }

    // Console input blocks inside ReadLine even when called through ReadLineAsync; reading on the thread pool
    // lets Ctrl+C end the session at once instead of after the next line.
    private static Task<string?> ReadLineAsync(TextReader input, CancellationToken cancellationToken) =>
        Task.Run(input.ReadLine, cancellationToken).WaitAsync(cancellationToken);
}
