using OrleansRaft.Kv;

namespace OrleansRaft.Client;

/// <summary>
/// A KV request failed. <see cref="Code"/> is the service's own status (never a success status), so callers
/// can branch on it without parsing messages. <see cref="OutcomeUnknown"/> is the one fact a caller must not
/// ignore: when it is true, a write may or may not have been applied.
/// </summary>
public class RaftKvException : Exception
{
    public RaftKvException(KvStatus code, string group, string message, bool outcomeUnknown = false, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Group = group;
        OutcomeUnknown = outcomeUnknown;
    }

    /// <summary>Why the request failed: one of the error statuses of <see cref="KvStatus"/>.</summary>
    public KvStatus Code { get; }

    /// <summary>The Raft group the request was sent to.</summary>
    public string Group { get; }

    /// <summary>True when a write may have been applied despite the failure (it was sent, and no answer came back).
    /// Retrying through the same client session is safe: the session table applies it at most once.</summary>
    public bool OutcomeUnknown { get; }
}

/// <summary>No answer within the deadline. For a write, <see cref="RaftKvException.OutcomeUnknown"/> says whether
/// it may have been applied.</summary>
public sealed class RaftKvTimeoutException(string group, string message, bool outcomeUnknown, Exception? innerException = null)
    : RaftKvException(KvStatus.Timeout, group, message, outcomeUnknown, innerException);

/// <summary>The group, or the whole cluster, could not be reached or had no leader. Unless
/// <see cref="RaftKvException.OutcomeUnknown"/> is set, nothing was applied.</summary>
public sealed class RaftKvUnavailableException(string group, string message, bool outcomeUnknown = false, Exception? innerException = null)
    : RaftKvException(KvStatus.Unavailable, group, message, outcomeUnknown, innerException);
