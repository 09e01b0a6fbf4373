using OrleansRaft.Kv;
using OrleansRaft.Peers;
using Xunit.Abstractions;

namespace OrleansRaft.Cluster.Tests.Linearizable;

/// <summary>
/// The MIT 6.5840 lab 4A scenarios on a real Orleans cluster: concurrent clients through the KV facade while
/// the peer network is cut, made unreliable and silos restart. Every run checks its history for
/// linearizability and that no acknowledged append is lost or doubled.
/// </summary>
public sealed class LinearizableKvTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Workload = TimeSpan.FromSeconds(4);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public Task Basic(int clients) => RunAsync($"basic, {clients} clients", clients, peers: 3, seed: 1, chaos: null);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public Task UnreliableNetwork(int clients) =>
        RunAsync($"unreliable, {clients} clients", clients, peers: 3, seed: 2, chaos: (_, faults, _) =>
        {
            faults.SetUnreliable(true);
            return Task.CompletedTask;
        });

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public Task ManyPartitions(int clients) =>
        RunAsync($"many partitions, {clients} clients", clients, peers: 5, seed: 3, chaos: (raft, faults, stop) => PartitionRandomlyAsync(faults, 5, 3, stop));

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public Task CrashAndRestartEverySilo(int clients) =>
        RunAsync($"restart all silos, {clients} clients", clients, peers: 3, seed: 4, chaos: RestartEverySiloAsync);

    [Fact]
    public Task CrashesPartitionsAndUnreliableNetwork() =>
        RunAsync("crash + partitions + unreliable, 5 clients", 5, peers: 5, seed: 5, chaos: async (raft, faults, stop) =>
        {
            faults.SetUnreliable(true);
            await Task.WhenAll(PartitionRandomlyAsync(faults, 5, 5, stop), RestartEverySiloAsync(raft, faults, stop));
        });

    [Fact]
    public Task FifteenClientsOnSevenPeers() =>
        RunAsync("15 clients on 7 peers, partitions + unreliable", 15, peers: 7, seed: 6, chaos: (raft, faults, stop) =>
        {
            faults.SetUnreliable(true);
            return PartitionRandomlyAsync(faults, 7, 6, stop);
        });

    private async Task RunAsync(string scenario, int clients, int peers, int seed,
        Func<RaftTestCluster, RaftTestNetwork, CancellationToken, Task>? chaos)
    {
        // One silo per peer: peers are pinned to their own nodes.
        await using var raft = await RaftTestCluster.StartAsync(Math.Max(3, peers), options =>
        {
            options.Peers = peers;
            options.NetworkSeed = seed;
        });
        var faults = raft.Network;
        await raft.Kv.Set("warm-up", "1");

        var workload = new KvWorkload(raft.Kv, clients, keys: 3, seed);
        using var chaosStop = new CancellationTokenSource(Workload);
        var chaosTask = chaos?.Invoke(raft, faults, chaosStop.Token) ?? Task.CompletedTask;
        await workload.RunAsync(Workload, minimumAppends: 5, maximum: TimeSpan.FromSeconds(60));
        await chaosTask;
        faults.SetUnreliable(false);
        faults.Heal();

        await workload.VerifyAsync(scenario);
        output.WriteLine($"{scenario}: {workload.Describe()}; network dropped {faults.Dropped}, delivered {faults.Delivered} batches");
    }

    /// <summary>Every few hundred milliseconds, splits the peers into two random sides (a majority may or may not exist).</summary>
    private static async Task PartitionRandomlyAsync(RaftTestNetwork faults, int peers, int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        var keys = PeerKey.AllOf(RaftTestOptions.DefaultGroup, peers);
        while (!stop.IsCancellationRequested)
        {
            var shuffled = keys.OrderBy(_ => random.Next()).ToArray();
            var cut = random.Next(1, peers);
            faults.Partition(shuffled[..cut], shuffled[cut..]);
            await Delay(random.Next(200, 700), stop);
            faults.Heal();
            await Delay(random.Next(100, 400), stop);
        }
    }

    private static async Task RestartEverySiloAsync(RaftTestCluster raft, RaftTestNetwork faults, CancellationToken stop)
    {
        foreach (var silo in raft.RunningSilos)
        {
            if (stop.IsCancellationRequested) return;
            await raft.RestartAsync(silo);
            await Delay(300, stop);
        }
    }

    // Paces the fault schedule (not a wait for a condition): stops early when the workload ends.
    private static async Task Delay(int milliseconds, CancellationToken stop)
    {
        try { await Task.Delay(milliseconds, stop); }
        catch (OperationCanceledException) { }
    }
}
