namespace OrleansRaft.Testing.Linearizability;

/// <summary>
/// Records a concurrent history as clients run: <see cref="Invoke"/> before sending a request,
/// <see cref="Complete"/> when its answer arrives. An operation never completed stays with an unknown outcome,
/// which is exactly right for a request that timed out or whose server crashed. Thread-safe, so cluster
/// tests can record from many tasks; the simulator records from one thread with a virtual clock.
/// </summary>
public sealed class History<TInput, TOutput>(Func<long> clock)
{
    private readonly Lock _lock = new();
    private readonly List<Operation<TInput, TOutput>> _ops = [];

    /// <summary>Operations that returned.</summary>
    public int CompletedCount { get; private set; }

    /// <summary>Operations invoked so far, completed or not.</summary>
    public int Count
    {
        get { lock (_lock) return _ops.Count; }
    }

    /// <summary>Records the call of an operation now; returns the handle to complete it with.</summary>
    public int Invoke(int clientId, TInput input)
    {
        lock (_lock)
        {
            _ops.Add(Operation<TInput, TOutput>.Pending(clientId, input, clock()));
            return _ops.Count - 1;
        }
    }

    /// <summary>Records that the operation returned <paramref name="output"/> now.</summary>
    public void Complete(int handle, TOutput output)
    {
        lock (_lock)
        {
            var op = _ops[handle];
            if (op.Completed) throw new InvalidOperationException($"Operation {handle} ({op.Input}) completed twice.");
            var now = clock();
            if (now < op.Call) throw new InvalidOperationException($"Clock went backwards for operation {handle}.");
            _ops[handle] = op with { Output = output, Return = now, Completed = true };
            CompletedCount++;
        }
    }

    /// <summary>The operation's outcome stays unknown, but it can no longer take effect after now: use it when
    /// the client knows an abandoned request is dead (its next request in the same session has been applied).</summary>
    public void Expire(int handle)
    {
        lock (_lock)
        {
            var op = _ops[handle];
            if (op.Completed || op.Return != Operation<TInput, TOutput>.Infinity) return;
            _ops[handle] = op with { Return = Math.Max(op.Call, clock()) };
        }
    }

    /// <summary>A copy of the history so far, in invocation order: what <see cref="LinearizabilityChecker.Check"/> takes.</summary>
    public IReadOnlyList<Operation<TInput, TOutput>> Operations
    {
        get { lock (_lock) return [.. _ops]; }
    }
}
