using System.Globalization;
using OrleansRaft.Benchmarks;

// dotnet run -c Release --project tests/OrleansRaft.Benchmarks -- core [--entries N] [--batch B] [--size S] [--reps R]
// dotnet run -c Release --project tests/OrleansRaft.Benchmarks -- compaction [--max-position N] [--keys K] [--value-size B] [--samples S]
// dotnet run -c Release --project tests/OrleansRaft.Benchmarks -- storage-write [--writes N] [--value-size B]
var arguments = new Arguments(args);
switch (arguments.Mode)
{
    case "core":
        RunCore(arguments);
        return 0;
    case "compaction":
        await RunCompactionAsync(arguments);
        return 0;
    case "storage-write":
        await new OrleansRaft.Benchmarks.StorageWrite.StorageWriteBenchmark((int)arguments.Long("writes", 2000), (int)arguments.Long("value-size", 100)).RunAsync();
        return 0;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{arguments.Mode}'. Available: core, compaction, storage-write.");
        return 2;
}

static async Task RunCompactionAsync(Arguments a)
{
    var max = a.Long("max-position", 1_000_000);
    long[] positions = [.. new long[] { 1_000, 10_000, 100_000, 1_000_000 }.Where(p => p <= max)];
    var bench = new OrleansRaft.Benchmarks.Compaction.CompactionBenchmark(
        keys: (int)a.Long("keys", 1000), valueBytes: (int)a.Long("value-size", 100), samples: (int)a.Long("samples", 200),
        snapshotLogBytes: a.Long("snapshot-bytes", OrleansRaft.Hosting.RaftGroupOptions.DefaultSnapshotLogBytes),
        catchUp: (int)a.Long("catch-up", OrleansRaft.Hosting.RaftGroupOptions.DefaultSnapshotCatchUpEntries));
    await bench.RunAsync(positions);
}

static void RunCore(Arguments a)
{
    var entries = a.Long("entries", 1_000_000);
    var batch = (int)a.Long("batch", 256);
    var size = (int)a.Long("size", 100);
    var reps = (int)a.Long("reps", 5);
    var tickEvery = (int)a.Long("tick-every", 64);
    var inflight = (int)a.Long("max-inflight", 256);
    var bench = new CoreBenchmark(batch, size, tickEvery, inflight);

    Console.WriteLine($"core: 3 in-memory nodes, one thread, {size}-byte entries, {batch} proposals per leader turn, "
        + $"heartbeat every {tickEvery} rounds, {entries:N0} entries per run");
    Console.WriteLine("(an entry counts once committed on the leader and applied on all three nodes)");
    bench.Run(Math.Max(entries / 5, 10_000)); // Warm-up: JIT tiers, PGO.
    var runs = new List<CoreRun>();
    for (var rep = 1; rep <= reps; rep++)
    {
        var run = bench.Run(entries);
        runs.Add(run);
        Console.WriteLine($"  run {rep}: {run.EntriesPerSecond,11:N0} entries/s wall  {run.EntriesPerCpuSecond,11:N0} entries/s CPU  "
            + $"{run.BytesPerEntry,6:N1} B allocated/entry  {run.Elapsed.TotalMilliseconds,6:N0} ms  "
            + $"{(double)run.Messages / run.Entries,5:N3} msgs/entry  GC pauses {run.GcPause.TotalMilliseconds,5:N0} ms ({run.Gen2} gen2)");
    }
    var wall = runs.Select(r => r.EntriesPerSecond).Order().ElementAt(runs.Count / 2);
    var cpu = runs.Select(r => r.EntriesPerCpuSecond).Order().ElementAt(runs.Count / 2);
    var bytes = runs.Select(r => r.BytesPerEntry).Order().ElementAt(runs.Count / 2);
    Console.WriteLine($"median: {wall:N0} entries/s wall clock, {cpu:N0} entries per CPU second, {bytes:N1} B allocated per entry");
}

/// <summary>A mode word and <c>--name value</c> options.</summary>
internal sealed class Arguments(string[] args)
{
    public string Mode => args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "core";

    public long Long(string name, long fallback)
    {
        var at = Array.IndexOf(args, "--" + name);
        return at >= 0 && at + 1 < args.Length ? long.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
