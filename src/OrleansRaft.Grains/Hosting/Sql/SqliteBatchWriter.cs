using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace OrleansRaft.Hosting.Sql;

/// <summary>
/// Group commit for one node's SQLite file: every row write of every peer on the node goes into one queue, and one
/// writer takes whatever is queued when it is free into one transaction and one fsync. While a batch commits, the next
/// one fills; a lone write waits for no one (no timer, no linger).
/// </summary>
/// <remarks>Each row keeps its own ETag check inside the batch: a conflict fails only that write (its statement
/// changes nothing, so the others commit). Nothing is acknowledged before its batch has committed: a batch that fails
/// anywhere else (an I/O error, the commit itself) is rolled back and every write in it fails, so a crash or a failed
/// commit loses only writes no caller was told had happened. Writes of one row in one batch apply in queue order,
/// each checked against the version the one before it left.</remarks>
internal sealed partial class SqliteBatchWriter : IAsyncDisposable
{
    /// <summary>The most writes one transaction takes: bounds how long a batch holds the file's write lock.</summary>
    public const int MaxBatch = 512;

    private readonly SqliteConnection _connection;
    private readonly SqliteRowStatements _statements;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly SqliteHousekeeping _housekeeping;
    private readonly Channel<RowWrite> _queue = Channel.CreateUnbounded<RowWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly ILogger _logger;
    private long _transactions;
    private long _rows;
    private long _failedBatches;
    private long _payloadBytes;
    private int _largestBatch;
    private int _pending;

    private readonly Action<int, TimeSpan>? _committed;

    /// <param name="committed">Told of every committed transaction: its row writes and how long its COMMIT took (the
    /// fsync, with synchronous=FULL): what group commit coalesces, and what the disk costs.</param>
    public SqliteBatchWriter(SqliteConnection connection, ILogger logger, Action<int, TimeSpan>? committed = null)
    {
        _connection = connection;
        _logger = logger;
        _committed = committed;
        _statements = new SqliteRowStatements(connection);
        _begin = Prepare("BEGIN IMMEDIATE;");
        _commit = Prepare("COMMIT;");
        _rollback = Prepare("ROLLBACK;");
        _housekeeping = new SqliteHousekeeping(connection);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Test hook: runs inside each batch's transaction just before the commit, with the batch's size. What it
    /// throws fails the batch as a crash before the commit would.</summary>
    internal Action<int>? BeforeCommit { get; set; }

    /// <summary>What the writer did so far: committed transactions (one fsync each), the row writes they carried, and
    /// the largest batch. Logged once when the storage closes.</summary>
    public SqliteWriterCounters Counters => new(Interlocked.Read(ref _transactions), Interlocked.Read(ref _rows),
        Interlocked.Read(ref _payloadBytes), Volatile.Read(ref _largestBatch), Interlocked.Read(ref _failedBatches));

    /// <summary>Vacuum steps and WAL truncations run so far (see <see cref="SqliteHousekeeping"/>).</summary>
    internal (long VacuumSteps, long WalTruncations) Housekeeping => _housekeeping.Runs;

    /// <summary>Writes queued and not yet taken into a batch.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Queues a write; the task completes with the row's new version once its batch committed, with null if the
    /// row's version was not <see cref="RowWrite.Expected"/>, and fails if its batch did.</summary>
    public Task<int?> Enqueue(RowWrite write)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(write))
        {
            Interlocked.Decrement(ref _pending);
            throw new ObjectDisposedException(nameof(SqliteBatchWriter), "The node's SQLite storage is closed.");
        }
        return write.Completion.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<RowWrite>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var write)) batch.Add(write);
            Interlocked.Add(ref _pending, -batch.Count);
            Commit(batch);
            batch.Clear();
            try
            {
                _housekeeping.AfterBatch();
            }
            catch (SqliteException e)
            {
                // Giving space back is housekeeping: the next look tries again, and writes must not wait on it.
                LogHousekeepingFailed(e);
            }
        }
    }

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Vacuum or WAL truncation of the node's SQLite file failed; retrying later")]
    private partial void LogHousekeepingFailed(Exception error);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "SQLite node storage closed: {Transactions} transactions carried {Rows} row writes ({PayloadBytes} payload bytes; largest batch {LargestBatch}, {FailedBatches} failed); {VacuumSteps} vacuum steps, {WalTruncations} WAL truncations")]
    private partial void LogClosed(long transactions, long rows, long payloadBytes, int largestBatch, long failedBatches, long vacuumSteps, long walTruncations);

    private void Commit(List<RowWrite> batch)
    {
        var results = new int?[batch.Count];
        TimeSpan commit;
        try
        {
            _begin.ExecuteNonQuery();
            for (var i = 0; i < batch.Count; i++) results[i] = Apply(batch[i]);
            BeforeCommit?.Invoke(batch.Count);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            _commit.ExecuteNonQuery();
            commit = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        }
        catch (Exception error)
        {
            RollBack();
            Interlocked.Increment(ref _failedBatches);
            foreach (var write in batch) write.Completion.TrySetException(error);
            return;
        }
        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _rows, batch.Count);
        foreach (var write in batch) Interlocked.Add(ref _payloadBytes, write.Payload?.Length ?? 0);
        if (batch.Count > _largestBatch) Volatile.Write(ref _largestBatch, batch.Count);
        _committed?.Invoke(batch.Count, commit);
        for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(results[i]);
    }

    private int? Apply(RowWrite write) => write.Payload is { } payload
        ? _statements.Write(write.Key, write.State, write.Expected, payload)
        : _statements.Clear(write.Key, write.State, write.Expected ?? throw new ArgumentException("A clear needs the row's version.", nameof(write)));

    /// <summary>Undoes the open transaction, if SQLite did not already (it rolls back by itself after some errors).</summary>
    private void RollBack()
    {
        if (SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) != 0) return;
        try
        {
            _rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // Only a connection that can no longer roll back fails here; the next BEGIN reports what is wrong with it.
        }
    }

    private SqliteCommand Prepare(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Prepare();
        return command;
    }

    /// <summary>Stops taking writes, commits what is queued, and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_queue.Writer.TryComplete()) return;
        await _loop.ConfigureAwait(false);
        var counters = Counters;
        var (vacuumSteps, walTruncations) = _housekeeping.Runs;
        LogClosed(counters.Transactions, counters.Rows, counters.PayloadBytes, counters.LargestBatch, counters.FailedBatches, vacuumSteps, walTruncations);
        _statements.Dispose();
        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
        _housekeeping.Dispose();
        _connection.Dispose();
    }
}

/// <summary>One row write (a payload) or clear (no payload) for the batch writer, checked against
/// <see cref="Expected"/>, the version the caller holds (null: the row must not exist yet).</summary>
internal sealed record RowWrite(string Key, string State, int? Expected, byte[]? Payload)
{
    public TaskCompletionSource<int?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The batch writer's counts: transactions committed (one fsync each), row writes in them and their payload
/// bytes, the largest batch, and batches that failed as a whole.</summary>
public readonly record struct SqliteWriterCounters(long Transactions, long Rows, long PayloadBytes, int LargestBatch, long FailedBatches);
