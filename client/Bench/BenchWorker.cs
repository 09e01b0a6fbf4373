using System.Diagnostics;

namespace OrleansRaft.Cli.Bench;

/// <summary>One logical client: runs operations back to back, drawn from the mix over uniformly random keys,
/// until the clock says stop. Each operation is timed with two <see cref="Stopwatch"/> timestamps.</summary>
internal sealed class BenchWorker(
    int index, IBenchClient client, IBenchTarget target, BenchWorkload workload, WorkloadMix mix, bool stale, BenchClock clock, FailoverProbe? probe)
{
    private readonly Random _random = new(unchecked(index * 7919 + 17));

    public WorkerRecorder Recorder { get; } = new();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (clock.TryBegin(Stopwatch.GetTimestamp(), out var measured))
        {
            var kind = mix.Pick(_random.Next(mix.Total));
            var key = _random.Next(workload.Keys.Length);
            var start = Stopwatch.GetTimestamp();
            BenchError? error = null;
            var swapped = false;
            try
            {
                swapped = await ExecuteAsync(kind, key, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                error = target.Classify(e);
            }
            var end = Stopwatch.GetTimestamp();
            var counts = clock.Counts(measured, end);
            if (error is { } failure) Recorder.RecordFailure(kind, failure, counts);
            else Recorder.RecordSuccess(kind, start, end, counts, swapped);
            if (OpKinds.IsWrite(kind)) probe?.OnWrite(start, end, error);
        }
    }

    /// <returns>For cas, whether it swapped; false otherwise.</returns>
    private async Task<bool> ExecuteAsync(OpKind kind, int key, CancellationToken cancellationToken)
    {
        var name = workload.Keys[key];
        switch (kind)
        {
            case OpKind.Set:
                var value = workload.Values[_random.Next(workload.Values.Length)];
                await client.SetAsync(name, value, cancellationToken).ConfigureAwait(false);
                workload.Saw(key, value);
                return false;
            case OpKind.Get:
                workload.Saw(key, await client.GetAsync(name, stale, cancellationToken).ConfigureAwait(false));
                return false;
            default:
                var next = workload.Values[_random.Next(workload.Values.Length)];
                var (swapped, current) = await client.CompareAndSetAsync(name, workload.LastSeen(key), next, cancellationToken).ConfigureAwait(false);
                workload.Saw(key, current);
                return swapped;
        }
    }
}
