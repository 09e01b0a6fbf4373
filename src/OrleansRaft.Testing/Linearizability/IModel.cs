namespace OrleansRaft.Testing.Linearizability;

/// <summary>
/// A sequential specification: what one operation does to the state of an object, and which outputs are
/// legal. The checker asks whether a concurrent history could have come from running the operations one at
/// a time, each at some instant between its call and its return.
/// </summary>
/// <typeparam name="TInput">An operation as a client issued it.</typeparam>
/// <typeparam name="TOutput">What the client saw it return.</typeparam>
/// <typeparam name="TState">The object's state. Must be immutable with value equality (it is memoized).</typeparam>
public interface IModel<TState, TInput, TOutput>
{
    /// <summary>The state before any operation.</summary>
    TState Init { get; }

    /// <summary>Operations on different partitions never interact (P-compositionality, Horn and Kroening 2015):
    /// a history is linearizable iff each partition's sub-history is, which keeps each search small.</summary>
    string Partition(TInput input);

    /// <summary>Applies <paramref name="input"/> to <paramref name="state"/>. Returns false when
    /// <paramref name="output"/> is impossible from that state. When <paramref name="completed"/> is false the
    /// output is unknown and any output is accepted.</summary>
    bool Step(TState state, TInput input, TOutput output, bool completed, out TState next);

    /// <summary>Whether the operation never changes the state: such operations with an unknown outcome
    /// can be dropped from the history, as they neither took visible effect nor returned.</summary>
    bool IsReadOnly(TInput input);

    /// <summary>One line for an operation in a failure report (<paramref name="completed"/> false: outcome unknown).</summary>
    string Describe(TInput input, TOutput output, bool completed);

    /// <summary>The state, as a failure report shows it.</summary>
    string DescribeState(TState state);
}
