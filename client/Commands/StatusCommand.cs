using OrleansRaft.Cli.Errors;
using OrleansRaft.Cli.Output;
using OrleansRaft.Client;

namespace OrleansRaft.Cli.Commands;

/// <summary><c>status</c>: the table of peers. Succeeds when at least one peer answered.</summary>
internal static class StatusCommand
{
    public static async Task<int> RunAsync(IRaftKv kv, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var status = await kv.StatusAsync(cancellationToken);
        await stdout.WriteAsync(StatusTable.Format(status));
        if (status.Peers.Any(p => p is not null)) return ExitCodes.Success;
        await stderr.WriteLineAsync($"error: no peer of group '{status.Group}' answered");
        return ExitCodes.Unavailable;
    }
}
