using OrleansRaft.Cli.Arguments;
using OrleansRaft.Cli.Commands;
using OrleansRaft.Cli.Connection;
using OrleansRaft.Cli.Errors;
using OrleansRaft.Cli.Shell;

namespace OrleansRaft.Cli;

/// <summary>
/// The whole program minus the process: parse, check the input, connect, dispatch, and turn every failure into
/// one <c>error: CODE: message</c> line on standard error and an exit code. Input is checked before connecting,
/// so a usage mistake is reported at once, cluster or not.
/// </summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TextWriter stderr, KvConnector connect, CancellationToken cancellationToken)
    {
        CliInvocation invocation;
        try
        {
            invocation = ArgumentParser.Parse(args);
            invocation.Operation?.Validate();
            invocation.Membership?.Validate();
        }
        catch (Exception e) when (e is UsageException or ArgumentException)
        {
            return await FailAsync(stderr, CliError.From(e));
        }

        if (invocation.Command == CliCommand.Help)
        {
            await stdout.WriteAsync(UsageText.Text + Environment.NewLine);
            return ExitCodes.Success;
        }

        try
        {
            // bench opens its own connection (or none, against etcd) and reports even when interrupted.
            if (invocation.Command == CliCommand.Bench)
                return await BenchCommand.RunAsync(invocation.Bench!, invocation.Settings, connect, stdout, stderr, cancellationToken);
            await using var connection = await connect(invocation.Settings, cancellationToken);
            var kv = connection.Kv;
            return invocation.Command switch
            {
                CliCommand.Kv => await KvCommand.RunAsync(kv, invocation.Operation!, stdout, stderr, cancellationToken),
                CliCommand.Status => await StatusCommand.RunAsync(kv, stdout, stderr, cancellationToken),
                CliCommand.Membership => await MembershipCommand.RunAsync(kv, invocation.Membership!, stdout, cancellationToken),
                CliCommand.Shell => await ShellSession.RunAsync(kv, stdin, stdout, invocation.Settings.Stale, cancellationToken),
                _ => throw new InvalidOperationException($"command {invocation.Command} has no handler"),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("error: interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            return await FailAsync(stderr, CliError.From(e));
        }
    }

    public static string ErrorLine(CliError error) => $"error: {error.Code}: {CliError.OneLine(error.Message)}";

    private static async Task<int> FailAsync(TextWriter stderr, CliError error)
    {
        await stderr.WriteLineAsync(ErrorLine(error));
        return error.ExitCode;
    }
}
