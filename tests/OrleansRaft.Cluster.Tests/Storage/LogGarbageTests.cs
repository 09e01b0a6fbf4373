using OrleansRaft.Core;
using OrleansRaft.Grains.Storage;

namespace OrleansRaft.Cluster.Tests.Storage;

/// <summary>Compaction in two steps, as the peer does it: one write moves the log's start, and the freed rows go
/// later, a few at a time; a crash anywhere in between loses nothing and leaves nothing behind for good.</summary>
public sealed class LogGarbageTests
{
    private const int Segment = 8;
    private static readonly GrainId Peer = GrainId.Create("raftpeer", "kv/0");
    private readonly DurableTestStorage _storage = new();

    private GrainStorageLogStore NewStore() => new(_storage, Peer, Segment);

    private static Entry[] Entries(long from, long to) =>
        Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => new Entry(i, 1, EntryType.Normal, [(byte)i])).ToArray();

    private int Segments => _storage.CountRows("raft.log.") - _storage.CountRows(GrainStorageLogStore.HeadName);

    [Fact]
    public async Task MovingTheStartIsOneWriteAndTheRowsGoInSteps()
    {
        var store = NewStore();
        await store.LoadAsync();
        await store.AppendAsync(Entries(1, 80)); // 10 segments
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

        await store.AppendAsync(Entries(81, 82));
        var reloaded = await NewStore().LoadAsync();
        Assert.Equal(Enumerable.Range(57, 26).Select(i => (long)i), reloaded.Select(e => e.Index));
    }

    [Fact]
    public async Task ARestartInTheMiddleOfTheCleanupFinishesIt()
    {
        var store = NewStore();
        await store.LoadAsync();
        await store.AppendAsync(Entries(1, 80));
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
        await store.AppendAsync(Entries(1, 80));
        await store.MoveStartAsync(60);

        await store.ClearAsync();

        Assert.False(store.HasGarbage);
        Assert.Equal(0, Segments);
        await store.AppendAsync(Entries(100, 101));
        Assert.Equal([100L, 101L], (await NewStore().LoadAsync()).Select(e => e.Index));
    }
}
