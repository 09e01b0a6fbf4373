using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansRaft.Kv;
using Xunit.Abstractions;

namespace OrleansRaft.Cluster.Tests;

/// <summary>
/// The leader's silo killed again and again, with Orleans' own failure detection timing: writes must resume as soon
/// as Raft elects a new leader, not when Orleans declares the silo dead (10 s and more later).
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int Kills = 10;
    private static readonly TimeSpan ResumeWithin = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task KillingTheLeadersSiloTenTimesInARowResumesWritesWithinFiveSecondsEachTime()
    {
        await using var raft = await RaftTestCluster.StartAsync(3, options => options.QuickFailureDetection = false);
        var successes = new ConcurrentQueue<(long Start, long End)>();
        var acknowledged = new ConcurrentDictionary<string, string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => WriteAsync(raft, w, successes, acknowledged, stop.Token)).ToArray();

        var resumptions = new List<TimeSpan>();
        for (var kill = 0; kill < Kills; kill++)
        {
            var leader = await raft.WaitForLeaderAsync(minimumPeersAgreeing: 3);
            var silo = raft.SiloOf(leader);
            var killing = Stopwatch.GetTimestamp();
            await raft.KillAsync(silo);
            var killed = Stopwatch.GetTimestamp();
            // The first write that started once the silo was gone, and succeeded: only a new leader can commit it.
            var resumedAt = await RaftTestCluster.WaitUntilAsync(
                () => Task.FromResult(successes.Where(s => s.Start > killed).Select(s => (long?)s.End).Min() is { } end ? (object)end : null),
                $"writes to resume after kill {kill + 1}");
            var resumed = Stopwatch.GetElapsedTime(killing, (long)resumedAt);
            resumptions.Add(resumed);
            output.WriteLine($"kill {kill + 1}: {leader.Peer} (term {leader.Term}) on {silo.Name}; writes resumed after {resumed.TotalMilliseconds:0} ms");
            await raft.RestartAsync(silo);
        }
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var sorted = resumptions.Order().ToArray();
        output.WriteLine($"{Kills} kills: min {sorted[0].TotalMilliseconds:0} / p50 {sorted[Kills / 2].TotalMilliseconds:0} / max {sorted[^1].TotalMilliseconds:0} ms");
        Assert.All(resumptions, r => Assert.True(r <= ResumeWithin, $"writes resumed only after {r.TotalMilliseconds:0} ms (all: {string.Join(", ", resumptions.Select(x => $"{x.TotalMilliseconds:0}"))})"));
        await raft.WaitForLeaderAsync(minimumPeersAgreeing: 3);
        await KvAssertions.AssertAllReadableAsync(raft, new Dictionary<string, string>(acknowledged));
    }

    private static async Task WriteAsync(RaftTestCluster raft, int writer, ConcurrentQueue<(long, long)> successes,
        ConcurrentDictionary<string, string> acknowledged, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var key = $"failover-{writer}-{n % 20}";
            var value = $"{n}";
            var start = Stopwatch.GetTimestamp();
            try
            {
                // A request sent through the killed silo's gateway would wait for Orleans' 30 s response timeout: give up
                // on it sooner, as the client library does when its gateway goes, and count its outcome unknown.
                var response = await raft.Kv.Set(key, value, new RequestId($"failover-{writer}", n + 1)).WaitAsync(AbandonAfter, CancellationToken.None);
                if (response.Status == KvStatus.Ok)
                {
                    successes.Enqueue((start, Stopwatch.GetTimestamp()));
                    acknowledged[key] = value;
                }
                else
                {
                    // Unknown outcome (Timeout): the key may now hold this value or the one before; stop checking it.
                    acknowledged.TryRemove(key, out _);
                }
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                acknowledged.TryRemove(key, out _);
                await Task.Delay(20, CancellationToken.None); // the client's gateway died with the silo, or the write was abandoned
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
