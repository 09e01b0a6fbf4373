using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansRaft.Hosting.Sql;

/// <summary>
/// Copies the WAL of the peer files back into their databases in the background. Left to SQLite, the write that
/// crosses the auto-checkpoint threshold does it inline: copy the pages, fsync the database, and only then report
/// the write done, which put a few-millisecond stall on one write in every couple of hundred (the sequential-set p99).
/// A passive checkpoint here never blocks a writer; the raised threshold (<see cref="SqliteDatabase.AutoCheckpointPages"/>)
/// remains as the safety net if this service falls behind or is not running.
/// </summary>
internal sealed partial class SqliteCheckpointer(IReadOnlyList<string> files, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    /// <summary>How often each file's WAL is checkpointed: often enough that the WAL stays a few MiB under load.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

    // Last-write time of each file's WAL when it was last checkpointed (one loop uses it: no locking).
    private readonly Dictionary<string, DateTime> _checkpointed = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                foreach (var file in files) Checkpoint(file);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Checkpoints one file if it exists and its WAL was written since the last pass (most of the
    /// registered files belong to peer indexes no group uses, and every silo of the machine runs this over the same
    /// files). A WAL that has not been written since the last pass belongs to a file gone idle: it is truncated then,
    /// so an idle node's directory holds its database and no WAL (under writes, the node's writer truncates it once it
    /// passes <see cref="SqliteHousekeeping.WalLimitBytes"/>). A failure is logged and retried on the next tick,
    /// because the inline checkpoint still bounds the WAL meanwhile.</summary>
    internal void Checkpoint(string file)
    {
        if (!File.Exists(file)) return;
        var wal = new FileInfo(file + "-wal");
        if (!wal.Exists || wal.Length == 0) return;
        var walWritten = wal.LastWriteTimeUtc;
        var idle = _checkpointed.TryGetValue(file, out var seen) && seen == walWritten;
        try
        {
            using var connection = new SqliteConnection(SqliteDatabase.ConnectionString(file));
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = idle ? "PRAGMA wal_checkpoint(TRUNCATE);" : "PRAGMA wal_checkpoint(PASSIVE);";
            command.ExecuteNonQuery();
            _checkpointed[file] = walWritten;
        }
        catch (SqliteException e)
        {
            LogCheckpointFailed(e, file);
        }
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Background WAL checkpoint of {File} failed; retrying on the next tick")]
    private partial void LogCheckpointFailed(Exception error, string file);
}
