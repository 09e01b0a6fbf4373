using System.Text;

namespace OrleansRaft.Testing.Linearizability;

/// <summary>Decides whether a concurrent history is linearizable with respect to a sequential model.</summary>
public static class LinearizabilityChecker
{
    /// <summary>Search steps allowed per partition before the verdict is <see cref="CheckOutcome.Unknown"/>.</summary>
    public const long DefaultMaxStepsPerPartition = 20_000_000;

    /// <summary>Checks each partition of <paramref name="history"/> on its own (P-compositionality) and returns
    /// the first partition that is not linearizable, or <see cref="CheckResult.Ok"/>.</summary>
    public static CheckResult Check<TState, TInput, TOutput>(
        IModel<TState, TInput, TOutput> model,
        IEnumerable<Operation<TInput, TOutput>> history,
        long maxStepsPerPartition = DefaultMaxStepsPerPartition)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(history);
        var partitions = new SortedDictionary<string, List<Operation<TInput, TOutput>>>(StringComparer.Ordinal);
        foreach (var op in history)
        {
            if (op.Return < op.Call)
                throw new ArgumentException($"Operation of client {op.ClientId} returns ({op.Return}) before its call ({op.Call}).", nameof(history));
            // A read that never returned had no effect anyone could see: it constrains nothing.
            if (!op.Completed && model.IsReadOnly(op.Input)) continue;
            var key = model.Partition(op.Input);
            if (!partitions.TryGetValue(key, out var ops)) partitions[key] = ops = [];
            ops.Add(op);
        }

        foreach (var (key, ops) in partitions)
        {
            var search = new LinearizabilitySearch<TState, TInput, TOutput>(model, ops, maxStepsPerPartition);
            var outcome = search.Run();
            if (outcome != CheckOutcome.Linearizable)
                return new CheckResult(outcome, key, Explain(model, ops, search.LongestPrefix));
        }
        return CheckResult.Ok;
    }

    private const int PrefixTailShown = 15;
    private const int RemainingShown = 40;

    /// <summary>Shows where the search got stuck: the end of the longest linearization it found, the state
    /// there, and the operations that were still to place, none of which could come next.</summary>
    private static string Explain<TState, TInput, TOutput>(
        IModel<TState, TInput, TOutput> model, List<Operation<TInput, TOutput>> ops, IReadOnlyList<(int Id, bool TookEffect)> prefix)
    {
        var text = new StringBuilder();
        string Line(int i)
        {
            var op = ops[i];
            var ret = op.Return == Operation<TInput, TOutput>.Infinity ? "?" : op.Return.ToString();
            return $"  #{i,-4} client {op.ClientId,-3} [{op.Call} .. {ret}] {model.Describe(op.Input, op.Output, op.Completed)}";
        }

        text.AppendLine($"{ops.Count} operations; times are [call .. return], '?' = no return, '-> ?' = outcome unknown.");
        text.AppendLine($"Longest linearization found: {prefix.Count} operations, ending with:");
        var state = model.Init;
        for (var k = 0; k < prefix.Count; k++)
        {
            var (i, tookEffect) = prefix[k];
            if (tookEffect) model.Step(state, ops[i].Input, ops[i].Output, ops[i].Completed, out state);
            if (k >= prefix.Count - PrefixTailShown) text.AppendLine(Line(i) + (tookEffect ? "" : "   (no effect)"));
        }
        text.AppendLine($"State then: {model.DescribeState(state)}. None of these can come next:");
        var placed = prefix.Select(p => p.Id).ToHashSet();
        var remaining = Enumerable.Range(0, ops.Count).Where(i => !placed.Contains(i)).OrderBy(i => ops[i].Call).ToList();
        foreach (var i in remaining.Take(RemainingShown)) text.AppendLine(Line(i));
        if (remaining.Count > RemainingShown) text.AppendLine($"  ... {remaining.Count - RemainingShown} more");
        return text.ToString().TrimEnd();
    }
}
