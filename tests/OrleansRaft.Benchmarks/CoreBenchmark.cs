using System.Diagnostics;
using OrleansRaft.Core;

namespace OrleansRaft.Benchmarks;

/// <summary>The result of one run.</summary>
/// <param name="Cpu">Processor time of the whole process: on a shared machine, a better measure of the cost
/// on one core than <paramref name="Elapsed"/>, which counts time spent waiting for a core.</param>
internal readonly record struct CoreRun(
    long Entries, TimeSpan Elapsed, TimeSpan Cpu, long AllocatedBytes, long Rounds, long Messages, TimeSpan GcPause, int Gen2)
{
    public double EntriesPerSecond => Entries / Elapsed.TotalSeconds;

    public double EntriesPerCpuSecond => Entries / Cpu.TotalSeconds;

    public double BytesPerEntry => (double)AllocatedBytes / Entries;
}

/// <summary>
/// Throughput of the core alone: a three-node in-memory group, single-threaded, the leader proposing
/// <c>batch</c> commands of <c>size</c> bytes per turn. An entry counts once committed on the leader and
/// applied on all three nodes. The leader ticks every <c>tickEvery</c> rounds (heartbeats), as a host's
/// timer would; after the last proposal it ticks every round so the followers learn the final commit.
/// </summary>
internal sealed class CoreBenchmark(int batch, int size, int tickEvery, int maxInflight)
{
    public CoreRun Run(long entries)
    {
        var cluster = new InMemoryCluster(maxInflight);
        var leader = cluster.ElectLeader();
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var messagesBefore = cluster.MessagesSent;
        var pauseBefore = GC.GetTotalPauseDuration();
        var gen2Before = GC.CollectionCount(2);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();

        long proposed = 0, rounds = 0;
        while (cluster.AppliedEverywhere < entries)
        {
            for (var i = 0; i < batch && proposed < entries; i++)
            {
                // Flow control may refuse: stop proposing for this turn and let commits free the budget.
                if (!leader.Propose(payload).Accepted) break;
                proposed++;
            }
            if (proposed == entries || ++rounds % tickEvery == 0) leader.Tick();
            cluster.Round();
            if (leader.Role != RaftRole.Leader) throw new InvalidOperationException("The leader stepped down.");
        }

        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return new CoreRun(entries, clock.Elapsed, cpu, allocated, rounds, cluster.MessagesSent - messagesBefore,
            GC.GetTotalPauseDuration() - pauseBefore, GC.CollectionCount(2) - gen2Before);
    }
}
