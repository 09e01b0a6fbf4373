namespace OrleansRaft.Testing.Linearizability;

/// <summary>
/// One operation of a concurrent history: a client invoked <see cref="Input"/> at <see cref="Call"/> and
/// saw <see cref="Output"/> at <see cref="Return"/>. Times are any totally ordered clock (virtual ticks,
/// event counters, Stopwatch ticks), as long as one history uses one clock.
/// </summary>
/// <remarks>An operation whose outcome is unknown (the client gave up, the server it asked crashed) has no
/// output: it may or may not have taken effect, at any point after its call and before <see cref="Return"/>,
/// which is <see cref="Infinity"/> unless something bounds it (for example, a session guarantee that an
/// abandoned request cannot apply once the client's next request has).</remarks>
public readonly record struct Operation<TInput, TOutput>(
    int ClientId, TInput Input, long Call, TOutput Output, long Return, bool Completed = true)
{
    /// <summary>The return time of an operation whose effect is not bounded in time.</summary>
    public const long Infinity = long.MaxValue;

    /// <summary>An operation called at <paramref name="call"/> with no return yet (outcome unknown).</summary>
    public static Operation<TInput, TOutput> Pending(int clientId, TInput input, long call) =>
        new(clientId, input, call, default!, Infinity, Completed: false);
}
