using OrleansRaft.Cli.Errors;
using OrleansRaft.Cli.Operations;
using OrleansRaft.Cli.Output;
using OrleansRaft.Client;

namespace OrleansRaft.Cli.Commands;

/// <summary>A single KV command from the command line: one answer line, and an exit code scripts can test.</summary>
internal static class KvCommand
{
    public static async Task<int> RunAsync(IRaftKv kv, KvOperation operation, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var outcome = await KvOperationRunner.RunAsync(kv, operation, cancellationToken);
        switch (outcome.Kind)
        {
            // get prints the value as is, so that $(orleansraft-client get k) is the value; absence is the exit code.
            case OutcomeKind.Value when operation.Verb == KvVerb.Get:
                await stdout.WriteLineAsync(outcome.Value);
                break;
            case OutcomeKind.Nil when operation.Verb == KvVerb.Get:
                await stderr.WriteLineAsync($"not found: {operation.Key}");
                break;
            case OutcomeKind.Error:
                await stderr.WriteLineAsync(CliApp.ErrorLine(outcome.Error!));
                break;
            default:
                await stdout.WriteLineAsync(ProtocolFormatter.Format(outcome));
                break;
        }
        return ExitCodes.For(operation, outcome);
    }
}
