namespace OrleansRaft.TestingHost;

/// <summary>A wait or silo operation of the test kit did not finish within its deadline. The message names what was
/// awaited and what was seen last (the last observation, or the last exception the probe threw, as the inner exception).</summary>
public sealed class RaftTestTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for <paramref name="awaited"/>, given up after <paramref name="deadline"/>.</summary>
    public RaftTestTimeoutException(string awaited, TimeSpan deadline, string lastSeen, Exception? lastError = null)
        : base($"Gave up after {deadline.TotalSeconds:0.#} s waiting for {awaited}; last seen: {lastSeen}", lastError)
    {
        Awaited = awaited;
        Deadline = deadline;
        LastSeen = lastSeen;
    }

    /// <summary>What the test waited for.</summary>
    public string Awaited { get; }

    /// <summary>How long it waited.</summary>
    public TimeSpan Deadline { get; }

    /// <summary>The last thing it saw instead.</summary>
    public string LastSeen { get; }
}
