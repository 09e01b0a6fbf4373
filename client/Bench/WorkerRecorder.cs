namespace OrleansRaft.Cli.Bench;

/// <summary>
/// What one logical client measured. Written only by its client (one operation at a time); the progress line
/// reads the counters from another thread, which is fine for 64-bit fields read with <see cref="Volatile"/>.
/// Latencies are those of successful operations; failures are counted by kind instead.
/// </summary>
internal sealed class WorkerRecorder
{
    private readonly LatencyHistogram[] _latency = [new(), new(), new()];
    private long _succeeded;
    private long _failed;
    private long _measured;
    private long _casSwapped;

    /// <summary>Failures by operation and kind; allocated on the first failure, which is not the hot path.</summary>
    public Dictionary<(OpKind Op, BenchError Error), long>? Errors { get; private set; }

    /// <summary>Successful operations so far, warmup included (for the progress line).</summary>
    public long Succeeded => Volatile.Read(ref _succeeded);

    /// <summary>Failed operations so far, warmup included (for the progress line).</summary>
    public long Failed => Volatile.Read(ref _failed);

    /// <summary>Successful measured operations so far.</summary>
    public long Measured => Volatile.Read(ref _measured);

    public long CasSwapped => _casSwapped;

    public LatencyHistogram Latency(OpKind kind) => _latency[(int)kind];

    public void RecordSuccess(OpKind kind, long start, long end, bool counts, bool swapped = false)
    {
        Volatile.Write(ref _succeeded, _succeeded + 1);
        if (!counts) return;
        _latency[(int)kind].RecordElapsed(start, end);
        Volatile.Write(ref _measured, _measured + 1);
        if (swapped) _casSwapped++;
    }

    public void RecordFailure(OpKind kind, BenchError error, bool counts)
    {
        Volatile.Write(ref _failed, _failed + 1);
        if (!counts) return;
        // An unknown outcome only means something for a write; a failed read changed nothing.
        var key = (kind, OpKinds.IsWrite(kind) ? error : error with { OutcomeUnknown = false });
        Errors ??= [];
        Errors[key] = Errors.GetValueOrDefault(key) + 1;
    }
}
