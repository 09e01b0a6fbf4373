using OrleansRaft.Cli.Errors;
using OrleansRaft.Cli.Operations;
using OrleansRaft.Cli.Shell;

namespace OrleansRaft.Cli.Output;

/// <summary>The answer lines of the shell protocol, also printed by the single commands (except get, which
/// prints the bare value). Every answer is exactly one line.</summary>
internal static class ProtocolFormatter
{
    public static string Format(KvOutcome outcome) => outcome.Kind switch
    {
        OutcomeKind.Ok => "OK",
        OutcomeKind.Value => "VALUE " + ShellQuoting.Quote(outcome.Value!),
        OutcomeKind.Nil => ShellQuoting.Nil,
        OutcomeKind.Swapped => "SWAPPED",
        OutcomeKind.NotSwapped => "NOT-SWAPPED " + (outcome.Value is null ? ShellQuoting.Nil : ShellQuoting.Quote(outcome.Value)),
        OutcomeKind.Error => Error(outcome.Error!),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Kind, null),
    };

    public static string Error(CliError error) => $"ERR {error.Code} {CliError.OneLine(error.Message)}";
}
