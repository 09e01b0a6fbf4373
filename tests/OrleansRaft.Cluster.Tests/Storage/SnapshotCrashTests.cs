using OrleansRaft.Core;
using OrleansRaft.Grains.Storage;

namespace OrleansRaft.Cluster.Tests.Storage;

/// <summary>A crash at any write of a snapshot save leaves a whole snapshot behind: the old one until the manifest
/// switches, the new one after. Leftover chunks do not pile up.</summary>
public sealed class SnapshotCrashTests
{
    private const int ChunkBytes = 100;

    private static Snapshot Make(long index, int bytes) => new(index, 1, [.. Enumerable.Range(0, bytes).Select(i => (byte)(i + index))]);

    [Fact]
    public async Task ACrashAtAnyWriteOfASaveLeavesTheOldOrTheNewSnapshotWhole()
    {
        var old = Make(10, 350);   // 4 chunks
        var next = Make(20, 520);  // 6 chunks, then the manifest
        for (var crashAt = 1; crashAt <= 7; crashAt++)
        {
            var storage = new DurableTestStorage();
            var peer = GrainId.Create("raftpeer", $"crash/{crashAt}");
            await new GrainStorageSnapshotStore(storage, peer, ChunkBytes).SaveAsync(old);

            var failing = new CountingStorage(storage) { FailFromWrite = crashAt };
            await Assert.ThrowsAsync<IOException>(async () => await new GrainStorageSnapshotStore(failing, peer, ChunkBytes).SaveAsync(next));

            var loaded = await new GrainStorageSnapshotStore(storage, peer, ChunkBytes).LoadAsync();
            Assert.NotNull(loaded);
            Assert.Equal(old.Index, loaded.Index);
            Assert.Equal(old.Data, loaded.Data);

            // The next save after the crash works and replaces it.
            var store = new GrainStorageSnapshotStore(storage, peer, ChunkBytes);
            await store.SaveAsync(next);
            Assert.Equal(next.Data, (await new GrainStorageSnapshotStore(storage, peer, ChunkBytes).LoadAsync())!.Data);
        }
    }

    [Fact]
    public async Task ShrinkingAndGrowingSnapshotsLeaveNoChunksBehind()
    {
        var storage = new DurableTestStorage();
        var peer = GrainId.Create("raftpeer", "crash/shrink");
        var store = new GrainStorageSnapshotStore(storage, peer, ChunkBytes);
        var index = 1L;
        foreach (var bytes in new[] { 900, 50, 700, 10, 1000, 120 })
            await store.SaveAsync(Make(index++, bytes));

        // The manifest and the 2 chunks of the last snapshot; the other slot was emptied after the switch.
        Assert.Equal(3, storage.CountRows("raft.snap"));
    }
}
