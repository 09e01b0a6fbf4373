namespace OrleansRaft.Cli.Arguments;

/// <summary>The command line or a shell line does not follow the grammar. Exit code 2, ERR code <c>usage</c>.</summary>
internal sealed class UsageException(string message) : Exception(message);
