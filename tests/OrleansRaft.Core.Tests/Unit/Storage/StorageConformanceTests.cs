using OrleansRaft.Core.Storage;

namespace OrleansRaft.Core.Tests.Unit.Storage;

/// <summary>
/// What every <see cref="ILogStore"/>, <see cref="IHardStateStore"/> and <see cref="ISnapshotStore"/> must do, written once and run against
/// each implementation (hashicorp/raft runs one suite against every LogStore). To check an implementation,
/// derive a class from this one and implement <see cref="CreateAsync"/>; durable implementations also override
/// <see cref="ReopenAsync"/>. Depends only on OrleansRaft.Core and xunit, so any test project can reference it.
/// </summary>
public abstract class StorageConformanceTests
{
    /// <summary>A log store, a hard state store and a snapshot store for the same node.</summary>
    public sealed record Stores(ILogStore Log, IHardStateStore HardState, ISnapshotStore Snapshot);

    /// <summary>Fresh, empty stores, not shared with any other test.</summary>
    protected abstract Task<Stores> CreateAsync();

    /// <summary>New store instances over the same durable data, as after a process restart. The default
    /// returns the same instances, which is all an in-memory twin can offer.</summary>
    protected virtual Task<Stores> ReopenAsync(Stores stores) => Task.FromResult(stores);

    private static Entry E(long index, long term, string data = "") =>
        new(index, term, EntryType.Normal, System.Text.Encoding.UTF8.GetBytes(data));

    private static List<Entry> Range(long from, long to, long term) =>
        [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => E(i, term, $"e{i}t{term}"))];

    /// <summary>Entries compare by content: a store that serializes hands back equal, not identical, entries.</summary>
    private static void AssertLog(IEnumerable<Entry> expected, IReadOnlyList<Entry> actual)
    {
        var want = expected.ToList();
        Assert.Equal(want.Count, actual.Count);
        for (var i = 0; i < want.Count; i++)
        {
            Assert.Equal((want[i].Index, want[i].Term, want[i].Type), (actual[i].Index, actual[i].Term, actual[i].Type));
            Assert.Equal(want[i].Data, actual[i].Data);
        }
    }

    [Fact]
    public async Task Log_StartsEmpty()
    {
        var stores = await CreateAsync();

        Assert.Empty(await stores.Log.LoadAsync());
    }

    [Fact]
    public async Task Log_AppendThenLoad_ReturnsEntriesInOrder()
    {
        var stores = await CreateAsync();
        List<Entry> entries = [Entry.NoOp(1, 1), E(2, 1, "a"), E(3, 2, ""), E(4, 2, new string('x', 4000))];

        await stores.Log.AppendAsync(entries);

        AssertLog(entries, await stores.Log.LoadAsync());
    }

    [Fact]
    public async Task Log_ContiguousAppendsExtendTheLog()
    {
        var stores = await CreateAsync();

        await stores.Log.AppendAsync(Range(1, 3, 1));
        await stores.Log.AppendAsync(Range(4, 4, 1));
        await stores.Log.AppendAsync(Range(5, 7, 2));

        AssertLog(Range(1, 4, 1).Concat(Range(5, 7, 2)), await stores.Log.LoadAsync());
    }

    /// <summary>The Ready contract: drop every stored entry at or above the first new index, then append.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task Log_AppendOverwritesFromItsFirstIndex(long from)
    {
        var stores = await CreateAsync();
        await stores.Log.AppendAsync(Range(1, 5, 1));

        await stores.Log.AppendAsync(Range(from, from, 2)); // Shorter than the suffix it replaces.

        AssertLog(Range(1, from - 1, 1).Concat(Range(from, from, 2)), await stores.Log.LoadAsync());
    }

    [Fact]
    public async Task Log_EmptyAppendChangesNothing()
    {
        var stores = await CreateAsync();
        await stores.Log.AppendAsync(Range(1, 2, 1));

        await stores.Log.AppendAsync([]);

        AssertLog(Range(1, 2, 1), await stores.Log.LoadAsync());
    }

    public static TheoryData<long[]> BadBatches => new()
    {
        new long[] { 5 },    // A gap after the last stored entry (3).
        new long[] { 4, 6 }, // Not contiguous.
        new long[] { 4, 3 }, // Not ascending.
        new long[] { 0 },    // Index below 1.
    };

    /// <summary>A refused batch throws <see cref="ArgumentException"/> and leaves the log as it was.</summary>
    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task Log_RefusesBadBatchAndKeepsTheLog(long[] indexes)
    {
        var stores = await CreateAsync();
        await stores.Log.AppendAsync(Range(1, 3, 1));

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await stores.Log.AppendAsync([.. indexes.Select(i => E(i, 2))]));

        AssertLog(Range(1, 3, 1), await stores.Log.LoadAsync());
    }

    [Fact]
    public async Task Log_LoadReturnsACopy()
    {
        var stores = await CreateAsync();
        var batch = Range(1, 2, 1);
        await stores.Log.AppendAsync(batch);
        var loaded = await stores.Log.LoadAsync();

        batch.Clear();                              // The caller reuses its list ...
        await stores.Log.AppendAsync(Range(2, 3, 2)); // ... and the store moves on.

        AssertLog(Range(1, 2, 1), loaded);
        AssertLog(Range(1, 1, 1).Concat(Range(2, 3, 2)), await stores.Log.LoadAsync());
    }

    /// <summary>Many small appends and a deep truncation: the shape of a long-lived log.</summary>
    [Fact]
    public async Task Log_ManyAppendsThenDeepTruncation()
    {
        var stores = await CreateAsync();
        for (var first = 1L; first <= 1000; first += 10) await stores.Log.AppendAsync(Range(first, first + 9, 1));

        await stores.Log.AppendAsync(Range(250, 260, 3));

        AssertLog(Range(1, 249, 1).Concat(Range(250, 260, 3)), await stores.Log.LoadAsync());
    }

    [Fact]
    public async Task Log_SurvivesReopen()
    {
        var stores = await CreateAsync();
        await stores.Log.AppendAsync(Range(1, 4, 1));
        await stores.Log.AppendAsync(Range(3, 5, 2));

        var reopened = await ReopenAsync(stores);

        AssertLog(Range(1, 2, 1).Concat(Range(3, 5, 2)), await reopened.Log.LoadAsync());
    }

    [Fact]
    public async Task HardState_StartsEmpty()
    {
        var stores = await CreateAsync();

        Assert.Equal(HardState.Empty, await stores.HardState.LoadAsync());
    }

    [Theory]
    [InlineData(1, null, 0)]
    [InlineData(7, "peer-2", 41)]
    [InlineData(long.MaxValue, "x", long.MaxValue)]
    public async Task HardState_SaveThenLoad(long term, string? vote, long commit)
    {
        var stores = await CreateAsync();

        await stores.HardState.SaveAsync(new HardState(term, vote, commit));

        Assert.Equal(new HardState(term, vote, commit), await stores.HardState.LoadAsync());
    }

    [Fact]
    public async Task HardState_SaveReplacesThePreviousOne()
    {
        var stores = await CreateAsync();
        await stores.HardState.SaveAsync(new HardState(3, "a", 2));

        await stores.HardState.SaveAsync(new HardState(4, null, 2));

        Assert.Equal(new HardState(4, null, 2), await stores.HardState.LoadAsync());
    }

    [Fact]
    public async Task HardState_SurvivesReopen()
    {
        var stores = await CreateAsync();
        await stores.HardState.SaveAsync(new HardState(9, "c", 5));

        var reopened = await ReopenAsync(stores);

        Assert.Equal(new HardState(9, "c", 5), await reopened.HardState.LoadAsync());
    }

    private static async Task<List<Entry>> LoadAfter(ILogStore log, long snapshotIndex) =>
        [.. (await log.LoadAsync()).Where(e => e.Index > snapshotIndex)];

    [Fact]
    public async Task Log_CompactKeepsWhatFollowsAndAppendsContinue()
    {
        var stores = await CreateAsync();
        await stores.Log.AppendAsync(Range(1, 20, 1));
        await stores.Log.CompactAsync(10);
        await stores.Log.CompactAsync(10); // again: nothing more to do
        await stores.Log.AppendAsync(Range(21, 22, 1));

        foreach (var view in new[] { stores, await ReopenAsync(stores) })
        {
            var loaded = await view.Log.LoadAsync();
            Assert.True(loaded[0].Index <= 11, $"compaction through 10 dropped entry 11 (log starts at {loaded[0].Index})");
            AssertLog(Range(11, 22, 1), await LoadAfter(view.Log, 10));
        }
    }

    [Fact]
    public async Task Log_CompactionMovesOnAsTheLogGrows()
    {
        var stores = await CreateAsync();
        for (var batch = 0; batch < 10; batch++)
        {
            await stores.Log.AppendAsync(Range(batch * 10 + 1, batch * 10 + 10, 1));
            await stores.Log.CompactAsync(batch * 10 + 5);
        }
        var loaded = await (await ReopenAsync(stores)).Log.LoadAsync();
        Assert.True(loaded.Count < 20, $"{loaded.Count} entries kept after compacting through 95");
        AssertLog(Range(96, 100, 1), [.. loaded.Where(e => e.Index > 95)]);
    }

    [Fact]
    public async Task Log_CompactThroughTheEndEmptiesItAndTheNextAppendStartsAfter()
    {
        var stores = await CreateAsync();
        await stores.Log.AppendAsync(Range(1, 10, 1));
        await stores.Log.CompactAsync(10);
        Assert.Empty(await (await ReopenAsync(stores)).Log.LoadAsync());

        await stores.Log.AppendAsync(Range(11, 12, 2));
        AssertLog(Range(11, 12, 2), await (await ReopenAsync(stores)).Log.LoadAsync());
    }

    [Fact]
    public async Task Log_ClearDropsEverythingAndTheNextAppendMayStartAnywhere()
    {
        var stores = await CreateAsync();
        await stores.Log.AppendAsync(Range(1, 10, 1));
        await stores.Log.ClearAsync();
        Assert.Empty(await (await ReopenAsync(stores)).Log.LoadAsync());

        await stores.Log.AppendAsync(Range(7, 9, 3));
        AssertLog(Range(7, 9, 3), await stores.Log.LoadAsync());
        AssertLog(Range(7, 9, 3), await (await ReopenAsync(stores)).Log.LoadAsync());
    }

    private static Snapshot S(long index, long term, int bytes) =>
        new(index, term, [.. Enumerable.Range(0, bytes).Select(i => (byte)(i * 7 + index))]);

    private static void AssertSnapshot(Snapshot expected, Snapshot? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal((expected.Index, expected.Term), (actual.Index, actual.Term));
        Assert.Equal(expected.Data, actual.Data);
    }

    [Fact]
    public async Task Snapshot_StartsEmpty()
    {
        var stores = await CreateAsync();
        Assert.Null(await stores.Snapshot.LoadAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(10_000)]
    public async Task Snapshot_SaveThenLoad(int bytes)
    {
        var stores = await CreateAsync();
        var snapshot = S(5, 2, bytes);
        await stores.Snapshot.SaveAsync(snapshot);
        AssertSnapshot(snapshot, await stores.Snapshot.LoadAsync());
        AssertSnapshot(snapshot, await (await ReopenAsync(stores)).Snapshot.LoadAsync());
    }

    [Fact]
    public async Task Snapshot_EachSaveReplacesThePreviousOneWhateverTheSizes()
    {
        var stores = await CreateAsync();
        foreach (var (index, bytes) in new[] { (3L, 9_000), (9L, 100), (12L, 7_000), (20L, 0), (21L, 3_000) })
        {
            var snapshot = S(index, 4, bytes);
            await stores.Snapshot.SaveAsync(snapshot);
            AssertSnapshot(snapshot, await (await ReopenAsync(stores)).Snapshot.LoadAsync());
        }
    }

    [Fact]
    public async Task Snapshot_RefusesAnOlderOneAndKeepsTheCurrent()
    {
        var stores = await CreateAsync();
        var current = S(10, 3, 50);
        await stores.Snapshot.SaveAsync(current);
        await Assert.ThrowsAsync<ArgumentException>(async () => await stores.Snapshot.SaveAsync(S(9, 3, 50)));
        AssertSnapshot(current, await (await ReopenAsync(stores)).Snapshot.LoadAsync());
    }
}
