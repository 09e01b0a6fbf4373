using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>
/// Writes a failed run's evidence where the fixture will not delete it: the whole history (one line per operation,
/// in call order, with wall-clock times to find it in the silo logs) and a copy of the cluster's log, in which the
/// nemesis' actions and the shells' pids are noted.
/// </summary>
internal static class HistoryDump
{
    public static string Write(WorkloadContext run, string clusterLogPath)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"orleansraft-nemesis-{run.StartedAt:yyyyMMdd-HHmmss}-seed{run.Settings.Seed}");
        Directory.CreateDirectory(directory);
        var lines = run.History.Operations
            .Select((op, i) => (op, i))
            .OrderBy(x => x.op.Call)
            .Select(x =>
            {
                var (op, i) = x;
                var ret = op.Completed ? $"{op.Return} {run.WallClock(op.Return)}" : op.Return == long.MaxValue ? "?" : $"{op.Return} (expired)";
                return $"#{i} client {op.ClientId} [{op.Call} {run.WallClock(op.Call)} .. {ret}] {KvModel.Instance.Describe(op.Input, op.Output, op.Completed)}";
            });
        File.WriteAllLines(Path.Combine(directory, "history.txt"),
            [$"# times: microseconds since {run.StartedAt:HH:mm:ss.fff}, then wall clock; '?' = outcome unknown", .. lines]);
        if (File.Exists(clusterLogPath)) File.Copy(clusterLogPath, Path.Combine(directory, Path.GetFileName(clusterLogPath)), overwrite: true);
        return directory;
    }
}
