using OrleansRaft.Cli.Errors;

namespace OrleansRaft.Cli.Operations;

internal enum OutcomeKind
{
    Ok,
    Value,
    Nil,
    Swapped,
    NotSwapped,
    Error,
}

/// <summary>What became of a <see cref="KvOperation"/>: exactly one protocol line (see <c>ProtocolFormatter</c>).</summary>
internal sealed record KvOutcome(OutcomeKind Kind, string? Value = null, CliError? Error = null)
{
    public static KvOutcome Ok { get; } = new(OutcomeKind.Ok);
    public static KvOutcome Nil { get; } = new(OutcomeKind.Nil);
    public static KvOutcome Swapped { get; } = new(OutcomeKind.Swapped);

    public static KvOutcome Found(string value) => new(OutcomeKind.Value, value);

    /// <summary>The swap did not happen; <paramref name="current"/> is the value that prevented it (null: absent).</summary>
    public static KvOutcome NotSwapped(string? current) => new(OutcomeKind.NotSwapped, current);

    public static KvOutcome Failed(CliError error) => new(OutcomeKind.Error, Error: error);
}
