using System.Diagnostics;
using OrleansRaft.Grains.Kv;
using OrleansRaft.Hosting;
using OrleansRaft.Kv;

namespace OrleansRaft.Benchmarks.Compaction;

/// <summary>
/// Issue 5's curve: write latency and persisted bytes per write at growing log positions (flat if compaction
/// works), the storage left after many overwrites of a small key set, and a peer's restart time at each position.
/// One peer, the product's SQLite grain storage, the production snapshot settings.
/// </summary>
internal sealed class CompactionBenchmark(int keys, int valueBytes, int samples, long snapshotLogBytes, int catchUp)
{
    private long _written;

    public async Task RunAsync(IReadOnlyList<long> positions)
    {
        await using var host = await SqliteStorageHost.StartAsync();
        var counting = new PayloadCountingStorage(host.Storage);
        var id = GrainId.Create("raftpeer", "bench/0");
        var peer = await BenchPeer.OpenAsync(counting, id, snapshotLogBytes, catchUp);
        Console.WriteLine($"compaction: one peer on SQLite grain storage ({host.File}), {keys:N0} keys, {valueBytes}-byte values, " +
                          $"snapshot every {snapshotLogBytes / 1024.0 / 1024:0.#} MiB of log keeping {catchUp} entries, 64 entries per log row");
        Console.WriteLine($"{"position",10} {"p50 ms",8} {"p99 ms",8} {"bytes/write",12} {"rows/write",10} {"log from",10} {"disk MiB",9} {"live rows",10} {"live MiB",9} {"restart ms",11}");
        var fill = Stopwatch.StartNew();
        foreach (var position in positions)
        {
            // Fill in large batches up to just before the position, then measure single writes there.
            while (_written < position - samples) await peer.WriteAsync(Commands((int)Math.Min(1000, position - samples - _written)));
            var latencies = new List<double>(samples);
            var bytesBefore = counting.PayloadBytes;
            var writesBefore = counting.Writes;
            for (var i = 0; i < samples; i++)
            {
                var watch = Stopwatch.StartNew();
                await peer.WriteAsync(Commands(1));
                latencies.Add(watch.Elapsed.TotalMilliseconds);
            }
            var perWrite = (counting.PayloadBytes - bytesBefore) / (double)samples;
            var rowsPerWrite = (counting.Writes - writesBefore) / (double)samples;
            var (rows, live) = host.LiveRows();

            var restart = Stopwatch.StartNew();
            peer = await BenchPeer.OpenAsync(counting, id, snapshotLogBytes, catchUp);
            var restartMs = restart.Elapsed.TotalMilliseconds;
            if (peer.Keys != Math.Min(keys, _written)) throw new InvalidOperationException($"restart restored {peer.Keys} keys, expected {Math.Min(keys, _written)}");

            latencies.Sort();
            Console.WriteLine($"{position,10:N0} {Percentile(latencies, 0.50),8:0.00} {Percentile(latencies, 0.99),8:0.00} {perWrite,12:N0} {rowsPerWrite,10:0.00} " +
                              $"{peer.FirstIndex,10:N0} {host.BytesOnDisk() / 1048576.0,9:0.0} {rows,10:N0} {live / 1048576.0,9:0.00} {restartMs,11:0.0}");
        }
        Console.WriteLine($"({_written:N0} overwrites of {keys:N0} keys in {fill.Elapsed.TotalSeconds:0} s; 'bytes/write' is the payload handed to " +
                          "storage per acknowledged write, 'live' what the table holds now, 'disk' the SQLite file and its WAL)");
    }

    private List<byte[]> Commands(int count)
    {
        var commands = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            var n = _written++;
            var value = $"{n:D12}".PadRight(valueBytes, 'v');
            commands.Add(KvCodec.Encode(new KvCommand(KvOp.Set, $"key-{n % keys:D5}", value, Session: new RequestId("bench", n + 1, n + 1))));
        }
        return commands;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
