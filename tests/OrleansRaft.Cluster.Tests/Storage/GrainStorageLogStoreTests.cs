using Orleans.Storage;
using OrleansRaft.Core;
using OrleansRaft.Grains.Storage;

namespace OrleansRaft.Cluster.Tests.Storage;

public sealed class GrainStorageLogStoreTests
{
    private const int Segment = 8;
    private static readonly GrainId Peer = GrainId.Create("raftpeer", "kv/0");
    private readonly DurableTestStorage _storage = new();

    private GrainStorageLogStore NewStore(IGrainStorage? storage = null) => new(storage ?? _storage, Peer, Segment);

    private int Segments => _storage.CountRows("raft.log.") - _storage.CountRows(GrainStorageLogStore.HeadName);

    private static Entry[] Entries(long from, long to, long term) =>
        Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => new Entry(i, term, EntryType.Normal, [(byte)i])).ToArray();

    [Fact]
    public async Task AppendedEntriesAreReadBackByANewStore()
    {
        var store = NewStore();
        await store.LoadAsync();
        await store.AppendAsync(Entries(1, 5, 1));
        await store.AppendAsync(Entries(6, 30, 1));
        await store.AppendAsync(Entries(31, 31, 2));

        var reloaded = await NewStore().LoadAsync();
        Assert.Equal(Entries(1, 30, 1).Concat(Entries(31, 31, 2)).Select(e => (e.Index, e.Term)), reloaded.Select(e => (e.Index, e.Term)));
    }

    [Fact]
    public async Task AnAppendThatStartsInsideTheLogReplacesTheWholeSuffix()
    {
        var store = NewStore();
        await store.LoadAsync();
        await store.AppendAsync(Entries(1, 40, 1));
        await store.AppendAsync(Entries(12, 14, 2));

        var reloaded = await NewStore().LoadAsync();
        Assert.Equal(14, reloaded.Count);
        Assert.All(reloaded.Take(11), e => Assert.Equal(1, e.Term));
        Assert.All(reloaded.Skip(11), e => Assert.Equal(2, e.Term));
    }

    [Fact]
    public async Task EntriesWrittenPerAppendDoNotGrowWithTheLog()
    {
        var counting = new CountingStorage(_storage);
        var store = NewStore(counting);
        await store.LoadAsync();
        for (var i = 1; i <= 3000; i++) await store.AppendAsync(Entries(i, i, 1));

        // One-entry appends rewrite one segment: never more than a segment's worth, early or late in the log.
        Assert.True(counting.EntriesPerWrite.Take(100).Max() <= Segment);
        Assert.True(counting.EntriesPerWrite.Skip(2900).Max() <= Segment);
        // Over whole segments, appending at index ~2,900 costs exactly what it cost at index 1.
        Assert.Equal(counting.EntriesPerWrite.Take(12 * Segment).Sum(), counting.EntriesPerWrite.Skip(360 * Segment).Take(12 * Segment).Sum());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task ACrashInTheMiddleOfAReplacingAppendLeavesAPrefixOfOldThenNew(int failAtWrite)
    {
        var store = NewStore();
        await store.LoadAsync();
        await store.AppendAsync(Entries(1, 40, 1));

        var crashing = new CountingStorage(_storage) { FailFromWrite = failAtWrite };
        var victim = NewStore(crashing);
        await victim.LoadAsync();
        await Assert.ThrowsAsync<IOException>(() => victim.AppendAsync(Entries(10, 30, 2)).AsTask());

        var reloaded = await NewStore().LoadAsync();
        for (var i = 0; i < reloaded.Count; i++) Assert.Equal(i + 1, reloaded[i].Index);
        // Terms never decrease along the log: no stale term-1 entry survives after a term-2 entry.
        for (var i = 1; i < reloaded.Count; i++) Assert.True(reloaded[i].Term >= reloaded[i - 1].Term, $"term drops at index {i + 1}");
        Assert.All(reloaded.Take(9), e => Assert.Equal(1, e.Term));
    }

    [Fact]
    public async Task ASecondWriterOfTheSamePeerIsRefusedByETag()
    {
        var first = NewStore();
        await first.LoadAsync();
        await first.AppendAsync(Entries(1, 3, 1));
        var second = NewStore();
        await second.LoadAsync();
        await second.AppendAsync(Entries(4, 4, 1));

        await Assert.ThrowsAsync<InconsistentStateException>(() => first.AppendAsync(Entries(4, 5, 1)).AsTask());
    }

    [Fact]
    public async Task AGapIsRefused()
    {
        var store = NewStore();
        await store.LoadAsync();
        await store.AppendAsync(Entries(1, 3, 1));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync(Entries(5, 6, 1)).AsTask());
    }

    // Compaction in two steps, as the peer does it: one write moves the log's start, and the freed rows go later,
    // a few at a time; a crash anywhere in between loses nothing and leaves nothing behind for good.

    [Fact]
    public async Task MovingTheStartIsOneWriteAndTheRowsGoInSteps()
    {
        var store = NewStore();
        await store.LoadAsync();
        await store.AppendAsync(Entries(1, 80, 1)); // 10 segments
        Assert.Equal(10, Segments);

        await store.MoveStartAsync(60); // segments 0..6 hold only entries <= 56; segment 7 holds 57..64
        Assert.True(store.HasGarbage);
        Assert.Equal(10, Segments);
        Assert.Equal(57, (await NewStore().LoadAsync())[0].Index);

        await store.DeleteGarbageAsync(3);
        Assert.Equal(7, Segments);
        await store.DeleteGarbageAsync(3);
        Assert.True(store.HasGarbage);
        await store.DeleteGarbageAsync(3);
        Assert.False(store.HasGarbage);
        Assert.Equal(3, Segments);

        await store.AppendAsync(Entries(81, 82, 1));
        var reloaded = await NewStore().LoadAsync();
        Assert.Equal(Enumerable.Range(57, 26).Select(i => (long)i), reloaded.Select(e => e.Index));
    }

    [Fact]
    public async Task ARestartInTheMiddleOfTheCleanupFinishesIt()
    {
        var store = NewStore();
        await store.LoadAsync();
        await store.AppendAsync(Entries(1, 80, 1));
        await store.MoveStartAsync(60);
        await store.DeleteGarbageAsync(2);

        var restarted = NewStore();
        var log = await restarted.LoadAsync();
        Assert.Equal(57, log[0].Index);
        Assert.True(restarted.HasGarbage);
        while (restarted.HasGarbage) await restarted.DeleteGarbageAsync(2);
        Assert.Equal(3, Segments);
        var again = NewStore();
        Assert.Equal(24, (await again.LoadAsync()).Count);
        Assert.False(again.HasGarbage);
    }

    [Fact]
    public async Task ClearingTheLogAlsoRemovesGarbage()
    {
        var store = NewStore();
        await store.LoadAsync();
        await store.AppendAsync(Entries(1, 80, 1));
        await store.MoveStartAsync(60);

        await store.ClearAsync();

        Assert.False(store.HasGarbage);
        Assert.Equal(0, Segments);
        await store.AppendAsync(Entries(100, 101, 1));
        Assert.Equal([100L, 101L], (await NewStore().LoadAsync()).Select(e => e.Index));
    }
}
