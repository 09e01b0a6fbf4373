using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansRaft.Benchmarks.Compaction;
using OrleansRaft.Core;
using OrleansRaft.Grains.Storage;
using OrleansRaft.Hosting;

namespace OrleansRaft.Benchmarks.StorageWrite;

/// <summary>
/// Where the time of one durable log write goes, layer by layer, on the embedded SQLite storage: a bare SQLite
/// UPDATE of the same bytes (with and without fsync), the node's grain storage (group commit, here one write at a time),
/// and the peer's log store appending 1 and 20 entries. Prints wall and CPU microseconds per write
/// (CPU: this process, all threads, kernel time included), one write at a time.
/// </summary>
internal sealed class StorageWriteBenchmark(int writes, int valueBytes)
{
    public async Task RunAsync()
    {
        await using var host = await SqliteStorageHost.StartAsync();
        var entry = (long index) => new Entry(index, 1, EntryType.Normal, new byte[valueBytes + 90]);
        var segmentBytes = 64 * (valueBytes + 90) / 2; // a write rewrites half a segment on average

        Console.WriteLine($"storage write: one at a time, {writes} writes per row, entries of {valueBytes + 90} B (a {valueBytes}-byte value with key and session), segments of 64");
        Console.WriteLine($"{"layer",-58} {"wall us",8} {"CPU us",8}");
        Report("bare SQLite UPDATE, synchronous=FULL (fsync)", Measure(() => RawUpdate(host.File, segmentBytes, sync: true)));
        Report("bare SQLite UPDATE, synchronous=OFF (no fsync)", Measure(() => RawUpdate(host.File, segmentBytes, sync: false)));
        Report("SqliteGrainStorage WriteStateAsync (what peers use)", await MeasureAsync(GrainWrite(host.Storage, "bench.row", segmentBytes)));
        Report("GrainStorageLogStore.AppendAsync, 1 entry", await MeasureAsync(LogAppend(host.Storage, "bench/1", 1, entry)));
        Report("GrainStorageLogStore.AppendAsync, 20 entries", await MeasureAsync(LogAppend(host.Storage, "bench/20", 20, entry)));
    }

    private static void Report(string layer, (double Wall, double Cpu) result) =>
        Console.WriteLine($"{layer,-58} {result.Wall,8:0} {result.Cpu,8:0}");

    private (double, double) Measure(Action write)
    {
        for (var i = 0; i < writes / 10; i++) write();
        var (wall, cpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
        for (var i = 0; i < writes; i++) write();
        return (wall.Elapsed.TotalMicroseconds / writes, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / writes);
    }

    private async Task<(double, double)> MeasureAsync(Func<Task> write)
    {
        for (var i = 0; i < writes / 10; i++) await write();
        var (wall, cpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
        for (var i = 0; i < writes; i++) await write();
        return (wall.Elapsed.TotalMicroseconds / writes, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / writes);
    }

    private static Action RawUpdate(string file, int bytes, bool sync)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = true }.ToString();
        using (var setup = new SqliteConnection(connectionString))
        {
            setup.Open();
            using var create = setup.CreateCommand();
            create.CommandText = "CREATE TABLE IF NOT EXISTS BenchRaw (K INTEGER PRIMARY KEY, V BLOB); INSERT OR REPLACE INTO BenchRaw VALUES (1, zeroblob(1));";
            create.ExecuteNonQuery();
        }
        var payload = new byte[bytes];
        return () =>
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA synchronous = {(sync ? "FULL" : "OFF")}; UPDATE BenchRaw SET V = $v WHERE K = 1;";
            command.Parameters.AddWithValue("$v", payload);
            command.ExecuteNonQuery();
        };
    }

    private static Func<Task> GrainWrite(IGrainStorage storage, string name, int bytes)
    {
        var state = new GrainState<byte[]>(new byte[bytes]);
        var id = GrainId.Create("raftpeer", name);
        return () => storage.WriteStateAsync(name, id, state);
    }

    private static Func<Task> LogAppend(IGrainStorage storage, string peer, int batch, Func<long, Entry> entry)
    {
        var log = new GrainStorageLogStore(storage, GrainId.Create("raftpeer", peer), segmentEntries: 64);
        var next = 1L;
        return async () =>
        {
            var entries = new Entry[batch];
            for (var i = 0; i < batch; i++) entries[i] = entry(next++);
            await log.AppendAsync(entries);
        };
    }
}
