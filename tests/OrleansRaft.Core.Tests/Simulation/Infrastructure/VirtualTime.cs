namespace OrleansRaft.Core.Tests.Simulation.Infrastructure;

/// <summary>
/// Virtual time is a count of microseconds; nothing in the simulator reads a real clock. One Raft tick is
/// 10 ms, so with the default 10-tick election timeout a follower campaigns after 100 to 200 ms of silence.
/// </summary>
internal static class VirtualTime
{
    public const long Microsecond = 1;
    public const long Millisecond = 1_000;
    public const long Second = 1_000_000;

    /// <summary>Virtual length of one <see cref="RaftNode.Tick"/>.</summary>
    public const long Tick = 10 * Millisecond;

    public static long Ms(double milliseconds) => (long)(milliseconds * Millisecond);

    public static string Format(long micros) => $"{micros / (double)Millisecond:0.###} ms";
}
