using Microsoft.Data.Sqlite;

namespace OrleansRaft.Hosting.Sql;

/// <summary>
/// Gives a node file's space back between the writer's batches, so that the data directory is bounded by live data.
/// Two things grow otherwise: the WAL, which the background checkpointer copies into the database but which restarts
/// from its beginning only when a checkpoint caught up with every frame at the moment a write begins (under a steady
/// stream of writes that moment never comes: 28-38 MB of WAL after 20,000 sets with the ADO.NET provider); and the
/// database's free pages, which SQLite reuses but never returns, so the file keeps its high-water size (two snapshots
/// side by side during a switch, a log waiting for compaction).
/// </summary>
/// <remarks>Both run on the writer's own connection between two batches, when no write of this file is in flight:
/// a TRUNCATE checkpoint then only waits for readers (short), copies what the background checkpointer has not copied
/// yet, and cuts the WAL to zero; writes that arrive meanwhile queue and go in the next batch together. The file is
/// auto_vacuum=INCREMENTAL (see <see cref="SqliteNodeFile"/>), so a vacuum step only moves pages from the end into free
/// slots and cuts the end off: no full VACUUM, no second copy of the file.</remarks>
internal sealed class SqliteHousekeeping : IDisposable
{
    /// <summary>How many batches pass between looks (a look is a stat of the WAL and two pragma reads).</summary>
    public const int CheckEveryBatches = 32;

    /// <summary>WAL size past which it is checkpointed and truncated by the writer.</summary>
    public const long WalLimitBytes = 4 * 1024 * 1024;

    /// <summary>Free pages below which nothing is vacuumed (1 MiB with 4 KiB pages): not worth the pages a step moves.</summary>
    public const long MinFreePages = 256;

    /// <summary>Pages one vacuum step frees at most, so that one step holds the write lock for a few milliseconds.</summary>
    public const int PagesPerStep = 512;

    private readonly string _wal;
    private readonly SqliteCommand _free;
    private readonly SqliteCommand _pages;
    private readonly SqliteCommand _vacuum;
    private readonly SqliteCommand _truncate;
    private int _batches;

    public SqliteHousekeeping(SqliteConnection connection)
    {
        _wal = connection.DataSource + "-wal";
        _free = Prepare(connection, "PRAGMA freelist_count;");
        _pages = Prepare(connection, "PRAGMA page_count;");
        _vacuum = Prepare(connection, $"PRAGMA incremental_vacuum({PagesPerStep});");
        _truncate = Prepare(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
    }

    /// <summary>Vacuum steps and WAL truncations run so far.</summary>
    public (long VacuumSteps, long WalTruncations) Runs => (_vacuumSteps, _walTruncations);

    private long _vacuumSteps;
    private long _walTruncations;

    /// <summary>Called by the writer after each batch, outside any transaction.</summary>
    public void AfterBatch()
    {
        if (++_batches < CheckEveryBatches) return;
        _batches = 0;
        RunIfWorthIt();
    }

    /// <summary>A vacuum step if at least a tenth of the file is free (below that the pages are soon reused anyway);
    /// then a WAL truncation if the WAL is past its limit or a step ran (the file shrinks only when a checkpoint copies
    /// the step into it).</summary>
    public void RunIfWorthIt()
    {
        var free = (long)_free.ExecuteScalar()!;
        var pages = (long)_pages.ExecuteScalar()!;
        var vacuumed = free >= MinFreePages && free * 10 >= pages;
        if (vacuumed)
        {
            _vacuum.ExecuteNonQuery();
            _vacuumSteps++;
        }
        if (vacuumed || (File.Exists(_wal) && new FileInfo(_wal).Length > WalLimitBytes))
        {
            _truncate.ExecuteNonQuery();
            _walTruncations++;
        }
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Prepare();
        return command;
    }

    public void Dispose()
    {
        _free.Dispose();
        _pages.Dispose();
        _vacuum.Dispose();
        _truncate.Dispose();
    }
}
