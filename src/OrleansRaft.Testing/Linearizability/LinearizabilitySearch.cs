namespace OrleansRaft.Testing.Linearizability;

/// <summary>
/// Wing and Gong's search for a linearization of one partition, with Lowe's memoization ("Testing for
/// linearizability", 2017) as in Porcupine: a configuration is the set of operations linearized so far plus
/// the model state they lead to, and a configuration already explored is never explored again.
/// </summary>
internal sealed class LinearizabilitySearch<TState, TInput, TOutput>(
    IModel<TState, TInput, TOutput> model, IReadOnlyList<Operation<TInput, TOutput>> ops, long maxSteps)
{
    private readonly HashSet<(Bitset Linearized, TState State)> _seen = new(new ConfigurationComparer());

    // The current linearization as op ids, and the longest one seen (for the failure report). Only the part
    // of the path that changed since the longest was recorded is copied, so recording is amortized O(1).
    private readonly int[] _path = new int[ops.Count];
    private readonly int[] _longest = new int[ops.Count];
    private int _longestCount;
    private int _unchangedSinceLongest;

    /// <summary>The longest linearization found: operation ids in order, and whether each took effect.</summary>
    public IReadOnlyList<(int Id, bool TookEffect)> LongestPrefix =>
        [.. _longest[.._longestCount].Select(code => code >= 0 ? (code, true) : (~code, false))];

    private readonly Stack<(SearchEntry Call, TState StateBefore, bool TookEffect)> _stack = new();
    private Bitset _linearized = new(ops.Count);
    private TState _state = model.Init;

    public CheckOutcome Run()
    {
        var head = SearchList.Build([.. ops.Select(op => (op.Call, op.Return))]);
        var entry = head.Next;
        long steps = 0;

        while (head.Next is not null)
        {
            if (++steps > maxSteps) return CheckOutcome.Unknown;
            if (entry is null)
                throw new InvalidOperationException("Search walked off the event list; the history is malformed.");
            if (entry.IsCall)
            {
                var op = ops[entry.Id];
                // An operation with an unknown outcome either took effect or did not: try both.
                if ((model.Step(_state, op.Input, op.Output, op.Completed, out var next) && TryLinearize(entry, next, tookEffect: true))
                    || (!op.Completed && TryLinearize(entry, _state, tookEffect: false)))
                {
                    entry = head.Next;
                    continue;
                }
                entry = entry.Next;
            }
            else
            {
                // A return whose call is not linearized yet: every order tried from here fails. Backtrack.
                if (_stack.Count == 0) return CheckOutcome.NotLinearizable;
                var (call, before, tookEffect) = _stack.Pop();
                _unchangedSinceLongest = Math.Min(_unchangedSinceLongest, _stack.Count);
                _state = before;
                _linearized = _linearized.Clone();
                _linearized.Clear(call.Id);
                SearchList.Unlift(call);
                if (tookEffect && !ops[call.Id].Completed && TryLinearize(call, before, tookEffect: false))
                {
                    entry = head.Next;
                    continue;
                }
                entry = call.Next;
            }
        }
        return CheckOutcome.Linearizable;
    }

    /// <summary>Linearizes <paramref name="call"/> next, leading to <paramref name="next"/>, unless that
    /// configuration was explored before (Lowe's memoization).</summary>
    private bool TryLinearize(SearchEntry call, TState next, bool tookEffect)
    {
        var candidate = _linearized.Clone();
        candidate.Set(call.Id);
        if (!_seen.Add((candidate, next))) return false;
        _path[_stack.Count] = tookEffect ? call.Id : ~call.Id;
        _stack.Push((call, _state, tookEffect));
        _state = next;
        _linearized = candidate;
        SearchList.Lift(call);
        RecordIfLongest(_stack.Count);
        return true;
    }

    private void RecordIfLongest(int depth)
    {
        if (depth <= _longestCount) return;
        Array.Copy(_path, _unchangedSinceLongest, _longest, _unchangedSinceLongest, depth - _unchangedSinceLongest);
        _longestCount = depth;
        _unchangedSinceLongest = depth;
    }

    private sealed class ConfigurationComparer : IEqualityComparer<(Bitset Linearized, TState State)>
    {
        public bool Equals((Bitset Linearized, TState State) x, (Bitset Linearized, TState State) y) =>
            x.Linearized.Equals(y.Linearized) && EqualityComparer<TState>.Default.Equals(x.State, y.State);

        public int GetHashCode((Bitset Linearized, TState State) obj) =>
            HashCode.Combine(obj.Linearized.GetHashCode(), obj.State is null ? 0 : EqualityComparer<TState>.Default.GetHashCode(obj.State));
    }
}
