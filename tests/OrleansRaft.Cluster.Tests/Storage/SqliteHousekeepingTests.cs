using Microsoft.Data.Sqlite;
using OrleansRaft.Hosting.Sql;

namespace OrleansRaft.Cluster.Tests.Storage;

/// <summary>The node file gives space back while it is written: freed pages return to the file system in vacuum steps
/// and the WAL is cut back once it passes its limit, so the files are bounded by live rows, not by the largest moment.</summary>
public sealed class SqliteHousekeepingTests : IAsyncDisposable
{
    private const int Rows = 300;
    // The size of a log segment row of 64 KV entries: its first 3.3 KB stay on the leaf page, one row per page.
    private const int RowBytes = 11_500;
    private readonly SqliteNodeStorage _node = new();

    [Fact]
    public async Task Rows_written_and_cleared_again_leave_neither_free_pages_nor_a_large_WAL_behind()
    {
        var rows = Enumerable.Range(0, Rows).Select(i => new GrainState<byte[]>(new byte[RowBytes])).ToArray();
        for (var i = 0; i < Rows; i++) await _node.Storage.WriteStateAsync("big", Grain(i), rows[i]);
        for (var i = 0; i < Rows; i++) await _node.Storage.ClearStateAsync("big", Grain(i), rows[i]);
        // Each awaited write is a batch of its own: these make sure housekeeping looks again after the last clear.
        var small = new GrainState<byte[]>([1]);
        for (var i = 0; i < 4 * SqliteHousekeeping.CheckEveryBatches; i++) await _node.Storage.WriteStateAsync("small", Grain(0), small);

        var (vacuumSteps, walTruncations) = _node.Storage.Writer.Housekeeping;
        Assert.True(vacuumSteps >= 2, $"{vacuumSteps} vacuum steps");
        Assert.True(walTruncations >= 1, $"{walTruncations} WAL truncations");
        var onDisk = Size(_node.File) + Size(_node.File + "-wal");
        Assert.True(onDisk < Rows * RowBytes / 2, $"{onDisk} bytes on disk after the rows were cleared; {Rows * RowBytes} were written");
        await _node.ReopenAsync();
        Assert.True(FreePages(_node.File) < SqliteHousekeeping.MinFreePages + SqliteHousekeeping.PagesPerStep);
        // A cleared row keeps its key and version, not a page: left in place with no payload, each kept a leaf page.
        var inUse = Pragma(_node.File, "page_count") - FreePages(_node.File);
        Assert.True(inUse < Rows / 2, $"{inUse} pages in use for {Rows} cleared rows and one small one");
    }

    private static long Size(string file) => File.Exists(file) ? new FileInfo(file).Length : 0;

    private static long FreePages(string file) => Pragma(file, "freelist_count");

    private static long Pragma(string file, string name)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return (long)command.ExecuteScalar()!;
    }

    private static GrainId Grain(int index) => GrainId.Create("raftpeer", $"housekeeping/{index}");

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
