using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace OrleansRaft.Hosting.Sql;

/// <summary>
/// Grain storage on a node's one SQLite file, with group commit: the writes of every peer on the node that arrive
/// while a transaction commits go into the next one together, one fsync for all (<see cref="SqliteBatchWriter"/>).
/// Rows are keyed by grain key and state name, carry an Int32 version as their ETag and a payload from the Orleans
/// binary serializer, and keep the ADO.NET provider's contract that the peers rely on: a write needs the row's current
/// ETag (none to create it), a clear keeps the row with a new version and no payload, and a cleared row reads back as
/// existing with a new empty state.
/// </summary>
/// <remarks>Why not the ADO.NET provider: it opens a connection and a transaction per call, so each row write is its
/// own commit and fsync, and Microsoft.Data.Sqlite's synchronous calls cannot share one between calls that several
/// grains make concurrently. Reads use a second connection (WAL lets it read beside the writer) and see what has
/// committed, so a write is visible to a read once it has been acknowledged.</remarks>
public sealed class SqliteGrainStorage : IGrainStorage, IAsyncDisposable, IDisposable
{
    private readonly IGrainStorageSerializer _serializer;
    private readonly SqliteConnection _readConnection;
    private readonly SqliteRowStatements _reads;
    private readonly Lock _readLock = new();

    private SqliteGrainStorage(string path, SqliteBatchWriter writer, SqliteConnection readConnection, IGrainStorageSerializer serializer)
    {
        Path = path;
        Writer = writer;
        _readConnection = readConnection;
        _reads = new SqliteRowStatements(readConnection);
        _serializer = serializer;
    }

    /// <summary>Opens (creating or migrating, see <see cref="SqliteNodeFile"/>) the node file at <paramref name="path"/>;
    /// <paramref name="committed"/> hears of every committed transaction (its row writes and its commit's duration).</summary>
    public static SqliteGrainStorage Open(string path, string serviceId, IGrainStorageSerializer serializer, ILogger logger,
        Action<int, TimeSpan>? committed = null)
    {
        var connection = SqliteNodeFile.Open(path, serviceId);
        SqliteConnection? reader = null;
        try
        {
            reader = SqliteNodeFile.OpenReader(path);
            return new SqliteGrainStorage(path, new SqliteBatchWriter(connection, logger, committed), reader, serializer);
        }
        catch
        {
            reader?.Dispose();
            connection.Dispose();
            throw;
        }
    }

    public string Path { get; }

    internal SqliteBatchWriter Writer { get; }

    /// <summary>Transactions committed, row writes in them, the largest batch: how well writes coalesce.</summary>
    public SqliteWriterCounters Counters => Writer.Counters;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Off the grain's turn: Microsoft.Data.Sqlite's calls block, and a cold page means a disk read.
        var row = await Task.Run(() => ReadRow(KeyOf(grainId), stateName)).ConfigureAwait(false);
        if (row is not { } found)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        grainState.State = found.Payload is null ? EmptyState<T>() : _serializer.Deserialize<T>(new BinaryData(found.Payload));
        grainState.ETag = ETagOf(found.Version);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = _serializer.Serialize(grainState.State).ToArray();
        var key = KeyOf(grainId);
        var version = await Writer.Enqueue(new RowWrite(key, stateName, VersionOf(grainState.ETag, stateName, grainId), payload)).ConfigureAwait(false);
        grainState.ETag = ETagOf(version ?? throw Conflict("write", key, stateName, grainState.ETag));
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = KeyOf(grainId);
        if (VersionOf(grainState.ETag, stateName, grainId) is not { } expected)
        {
            // Without an ETag only a row that was never written can be cleared, and there is nothing to clear.
            if (await Task.Run(() => ReadRow(key, stateName)).ConfigureAwait(false) is not null) throw Conflict("clear", key, stateName, null);
            return;
        }
        var version = await Writer.Enqueue(new RowWrite(key, stateName, expected, Payload: null)).ConfigureAwait(false);
        grainState.ETag = ETagOf(version ?? throw Conflict("clear", key, stateName, grainState.ETag));
        grainState.RecordExists = false;
        grainState.State = EmptyState<T>();
    }

    private (int Version, byte[]? Payload)? ReadRow(string key, string stateName)
    {
        lock (_readLock) return _reads.Read(key, stateName);
    }

    private InconsistentStateException Conflict(string operation, string key, string stateName, string? held)
    {
        var stored = ReadRow(key, stateName) is { } row ? ETagOf(row.Version) : null;
        return new InconsistentStateException(
            $"ETag conflict on the {operation} of row '{stateName}' of grain '{key}' in {Path}: this caller holds version {held ?? "none"}, the row is at {stored ?? "none (no row)"}.",
            stored ?? "", held ?? "");
    }

    /// <summary>The state of a cleared row: a new instance, as the ADO.NET provider gives (arrays and types without a
    /// parameterless constructor get their default).</summary>
    private static T EmptyState<T>() => typeof(T).GetConstructor(Type.EmptyTypes) is not null ? Activator.CreateInstance<T>() : default!;

    private static string KeyOf(GrainId grainId) => grainId.Key.ToString()!;

    private static string ETagOf(int version) => version.ToString(CultureInfo.InvariantCulture);

    private static int? VersionOf(string? etag, string stateName, GrainId grainId) =>
        etag is null ? null
        : int.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version
        : throw new InconsistentStateException($"The ETag '{etag}' of row '{stateName}' of grain '{grainId}' is not a version of this storage.", "", etag);

    /// <summary>For containers disposed synchronously: waits for the queued writes to commit, then closes.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync().ConfigureAwait(false);
        lock (_readLock)
        {
            _reads.Dispose();
            _readConnection.Dispose();
        }
    }
}
