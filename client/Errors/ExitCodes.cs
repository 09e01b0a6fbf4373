using OrleansRaft.Cli.Operations;

namespace OrleansRaft.Cli.Errors;

/// <summary>The process exit codes; scripts depend on them, so they never change meaning.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>get found no value; cas did not swap.</summary>
    public const int NotFoundOrNotSwapped = 1;

    /// <summary>The group refused a membership change or leadership transfer that does not fit it, and will go on
    /// refusing it: the node hosts no member, already hosts one, is the last voter, or is a learner as transfer target.
    /// Nothing changed. The same code as <see cref="NotFoundOrNotSwapped"/>: the cluster answered, and the answer is no.</summary>
    public const int Refused = NotFoundOrNotSwapped;

    /// <summary>Bad command line or argument (also an invalid argument or unknown group reported by the cluster).</summary>
    public const int Usage = 2;

    /// <summary>The cluster could not be reached or did not answer in time, or refused for capacity, or refused a membership
    /// change for now (another one pending, the learner still behind, quorum at risk); retrying may help. After a timeout,
    /// a write or a membership change may or may not have taken effect.</summary>
    public const int Unavailable = 3;

    /// <summary>A bug: something that should not happen did. The one-line message says what.</summary>
    public const int Internal = 4;

    /// <summary>Interrupted by Ctrl+C (the shell convention, 128 + SIGINT).</summary>
    public const int Interrupted = 130;

    /// <summary>The exit code of a single KV command. A missing key is a failure for get but not for del, whose
    /// purpose (the key is gone) is achieved either way.</summary>
    public static int For(KvOperation operation, KvOutcome outcome) => outcome.Kind switch
    {
        OutcomeKind.Ok or OutcomeKind.Value or OutcomeKind.Swapped => Success,
        OutcomeKind.Nil => operation.Verb == KvVerb.Get ? NotFoundOrNotSwapped : Success,
        OutcomeKind.NotSwapped => NotFoundOrNotSwapped,
        OutcomeKind.Error => outcome.Error!.ExitCode,
        _ => Internal,
    };
}
