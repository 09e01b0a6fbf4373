using Microsoft.Data.Sqlite;

namespace OrleansRaft.Hosting.Sql;

/// <summary>
/// Gives a node file's free pages back to the file system, a bounded step at a time between the writer's batches.
/// SQLite reuses freed pages, so a file only ever grows to its high-water mark; but that mark is set by the largest
/// moment (two snapshots side by side during a switch, a log waiting for compaction), and without this the file keeps
/// it for good. The file is auto_vacuum=INCREMENTAL (see <see cref="SqliteNodeFile"/>), so a step only moves pages
/// from the end of the file into free slots and cuts the end off: no full VACUUM, no second copy of the file.
/// </summary>
internal sealed class SqliteVacuum : IDisposable
{
    /// <summary>How many batches pass between looks at the free list (a look is two pragma reads).</summary>
    public const int CheckEveryBatches = 100;

    /// <summary>Free pages below which nothing is done (1 MiB with 4 KiB pages): not worth the pages a step moves.</summary>
    public const long MinFreePages = 256;

    /// <summary>Pages one step frees at most, so that one step holds the write lock for a few milliseconds at most.</summary>
    public const int PagesPerStep = 512;

    private readonly SqliteCommand _free;
    private readonly SqliteCommand _pages;
    private readonly SqliteCommand _step;
    private int _batches;

    public SqliteVacuum(SqliteConnection connection)
    {
        _free = Prepare(connection, "PRAGMA freelist_count;");
        _pages = Prepare(connection, "PRAGMA page_count;");
        _step = Prepare(connection, $"PRAGMA incremental_vacuum({PagesPerStep});");
    }

    /// <summary>Steps pages handed back so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Called by the writer after each batch, outside any transaction. Frees a step when at least a tenth of
    /// the file is free: below that the pages are soon reused anyway.</summary>
    public void AfterBatch()
    {
        if (++_batches < CheckEveryBatches) return;
        _batches = 0;
        RunIfWorthIt();
    }

    /// <summary>One step if the free list is large enough; returns whether it ran.</summary>
    public bool RunIfWorthIt()
    {
        var free = (long)_free.ExecuteScalar()!;
        var pages = (long)_pages.ExecuteScalar()!;
        if (free < MinFreePages || free * 10 < pages) return false;
        _step.ExecuteNonQuery();
        Steps++;
        return true;
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
        _step.Dispose();
    }
}
