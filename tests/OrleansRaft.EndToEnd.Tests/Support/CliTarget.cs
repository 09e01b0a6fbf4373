namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>
/// Which cluster a CLI run talks to: the options put before every command. <see cref="Local"/> is none at all, the
/// CLI's defaults (the local launcher's gateways on 127.0.0.1), as the README's tour types it; a cluster elsewhere
/// gives its <c>--gateway</c> list.
/// </summary>
internal sealed record CliTarget(IReadOnlyList<string> GlobalArgs)
{
    public static CliTarget Local { get; } = new([]);

    public static CliTarget Gateways(IEnumerable<string> gateways) => new(["--gateway", string.Join(",", gateways)]);

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    public Task<CliResult> RunAsync(IReadOnlyList<string> args, string? stdin) => CliRunner.RunAsync([.. GlobalArgs, .. args], stdin);
}
