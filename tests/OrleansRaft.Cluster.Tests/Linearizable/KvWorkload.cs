using System.Diagnostics;
using OrleansRaft.Kv;
using OrleansRaft.Testing.Linearizability;
using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.Cluster.Tests.Linearizable;

/// <summary>
/// Concurrent KV clients in the style of the MIT 6.5840 lab 4 tests: each runs get/set/append/cas on a few
/// shared keys through the facade and records every call and return in one history. A write whose outcome is
/// unknown (Timeout, Unavailable, an exception) is retried with its request id; one still unanswered when the run
/// ends stays pending forever: it may have been applied, or not.
/// Appends go to their own keys (never overwritten) with unique values, so a lost or doubled append is
/// visible in the final reads.
/// </summary>
internal sealed class KvWorkload(IKvGrain kv, int clients, int keys, int seed)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _acknowledgedAppends = [];
    private readonly HashSet<string> _attemptedAppends = [];
    private readonly Lock _lock = new();

    public History<KvInput, KvOutput> History { get; } = new(() => Stopwatch.GetTimestamp());

    public int Acknowledged => History.CompletedCount;

    public static string Key(int i) => $"k{i}";

    public static string AppendKey(int i) => $"a{i}";

    /// <summary>Runs all clients for at least <paramref name="minimum"/> and until some appends were acknowledged
    /// (a loaded machine may need longer to show anything), but no longer than <paramref name="maximum"/>.</summary>
    public async Task RunAsync(TimeSpan minimum, int minimumAppends, TimeSpan maximum)
    {
        using var stop = new CancellationTokenSource(maximum);
        var clientsDone = Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c, stop.Token))));
        var started = _clock.Elapsed;
        while (!stop.IsCancellationRequested)
        {
            int acknowledged;
            lock (_lock) acknowledged = _acknowledgedAppends.Count;
            if (_clock.Elapsed - started >= minimum && acknowledged >= minimumAppends) break;
            await Task.Delay(50);
        }
        stop.Cancel();
        await clientsDone;
    }

    private async Task ClientAsync(int client, CancellationToken stop)
    {
        var random = new Random(seed * 1000 + client);
        var session = $"lin-{seed}-{client}-{Guid.NewGuid():N}";
        long sequence = 0;
        while (!stop.IsCancellationRequested)
        {
            var slot = random.Next(keys);
            var roll = random.Next(100);
            var value = $"c{client}.{sequence + 1};";
            KvInput input = roll switch
            {
                < 25 => KvInput.Get(Key(slot)),
                < 40 => KvInput.Get(AppendKey(slot)),
                < 60 => KvInput.Set(Key(slot), value),
                < 85 => KvInput.Append(AppendKey(slot), value),
                _ => KvInput.Cas(Key(slot), null, value),
            };
            var key = input.Key;
            var handle = History.Invoke(client, input);
            var id = new RequestId(session, ++sequence);
            if (input.Kind == KvOpKind.Append)
                lock (_lock) _attemptedAppends.Add(value);
            var response = await CallAsync(input, key, value, id, stop);
            if (response is null || response.IsError) continue; // outcome unknown: leave the operation pending
            History.Complete(handle, input.Kind switch
            {
                KvOpKind.Get => KvOutput.Read(response.Status == KvStatus.NotFound ? null : response.Value),
                KvOpKind.Cas => KvOutput.CasResult(response.Status == KvStatus.Swapped),
                _ => KvOutput.Done,
            });
            if (input.Kind == KvOpKind.Append)
                lock (_lock) _acknowledgedAppends.Add(value);
        }
    }

    /// <summary>
    /// One operation, as an application using the client library sees it: a write whose outcome is unknown (an
    /// exception, Timeout, Unavailable; typical while every silo restarts) is retried with the same request id
    /// until it is answered, which the session table makes safe; a read is not retried. Null when the run ended
    /// first. Without retries, every client piles up writes that may apply at any later moment, and checking the
    /// history becomes a search over all their subsets.
    /// </summary>
    private async Task<KvResponse?> CallAsync(KvInput input, string key, string value, RequestId id, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            KvResponse? response = null;
            try
            {
                response = input.Kind switch
                {
                    KvOpKind.Get => await kv.Get(key),
                    KvOpKind.Set => await kv.Set(key, value, id),
                    KvOpKind.Append => await kv.Append(key, value, id),
                    _ => await kv.CompareAndSet(key, null, value, id),
                };
            }
            catch (Exception) when (input.Kind != KvOpKind.Get)
            {
            }
            catch (Exception)
            {
                return null;
            }
            if (input.Kind == KvOpKind.Get) return response;
            if (response is not null && response.Status is not (KvStatus.Timeout or KvStatus.Unavailable)) return response;
            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>Checks the recorded history, then the append-only keys: every acknowledged append present
    /// exactly once, and nothing present that was never attempted.</summary>
    public async Task VerifyAsync(string scenario)
    {
        var present = new List<string>();
        for (var i = 0; i < keys; i++)
        {
            var key = AppendKey(i);
            var read = await RaftTestCluster.WaitUntilAsync(async () =>
            {
                var r = await kv.Get(key);
                return r.IsError ? null : r;
            }, $"final read of {key}");
            present.AddRange((read.Value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).Select(v => v + ";"));
        }

        // Append-only keys are never overwritten, so an unanswered append missing from the final value was
        // never applied: dropping it is exact, and keeps the search from trying every subset of them.
        var applied = present.ToHashSet();
        var history = History.Operations
            .Where(op => op.Completed || op.Input.Kind != KvOpKind.Append || applied.Contains(op.Input.Value!))
            .ToList();
        var result = LinearizabilityChecker.Check(KvModel.Instance, history);
        Assert.True(result.IsLinearizable, $"{scenario}: {result}");

        lock (_lock)
        {
            foreach (var doubled in present.GroupBy(v => v).Where(g => g.Count() > 1))
                Assert.Fail($"{scenario}: append {doubled.Key} was applied {doubled.Count()} times");
            foreach (var value in present)
                Assert.True(_attemptedAppends.Contains(value), $"{scenario}: {value} is present but was never appended");
            var missing = _acknowledgedAppends.Except(present).ToArray();
            Assert.True(missing.Length == 0, $"{scenario}: acknowledged appends lost: {string.Join(" ", missing.Take(10))}");
            Assert.True(_acknowledgedAppends.Count > 0, $"{scenario}: no append was acknowledged, the run proves nothing");
        }
    }

    public string Describe() => $"{History.Count} operations, {History.CompletedCount} acknowledged, {_clock.Elapsed.TotalSeconds:0.0} s";
}
