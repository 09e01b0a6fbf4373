using OrleansRaft.Core;
using OrleansRaft.Grains.Kv;
using OrleansRaft.Kv;

namespace OrleansRaft.Cluster.Tests.Kv;

/// <summary>The KV state machine's snapshots: data and session table round-trip, encode deterministically, and a
/// malformed snapshot is refused with a clear error rather than restored in part.</summary>
public sealed class KvSnapshotTests
{
    private long _index;

    private KvResult Apply(KvStateMachine machine, KvCommand command) =>
        KvCodec.DecodeResult(machine.Apply(new Entry(++_index, 1, EntryType.Normal, KvCodec.Encode(command))));

    private static string? Get(KvStateMachine machine, string key) =>
        KvCodec.DecodeResult(machine.Query(KvCodec.Encode(new KvCommand(KvOp.Get, key)))).Value;

    [Fact]
    public void ARestoredMachineHasTheDataAndAnswersRetriesFromItsSessions()
    {
        var machine = new KvStateMachine();
        Apply(machine, new KvCommand(KvOp.Set, "a", "1", Session: new RequestId("c1", 1, 1)));
        Apply(machine, new KvCommand(KvOp.Set, "b", "ü∂", Session: new RequestId("c2", 1, 1)));
        var cas = new KvCommand(KvOp.CompareAndSet, "a", "2", "1", new RequestId("c1", 2, 2));
        Assert.Equal(KvStatus.Swapped, Apply(machine, cas).Status);

        var restored = new KvStateMachine();
        restored.Restore(machine.TakeSnapshot());

        Assert.Equal(("2", "ü∂"), (Get(restored, "a"), Get(restored, "b")));
        Assert.Equal(2, restored.SessionCount);
        // Applying the CAS again would fail its comparison; the restored session table answers what happened.
        Assert.Equal(KvStatus.Swapped, Apply(restored, cas).Status);
        Assert.Equal("2", Get(restored, "a"));
    }

    [Fact]
    public void EqualStatesEncodeToEqualBytesWhateverTheOrderOfWrites()
    {
        var first = new KvStateMachine();
        var second = new KvStateMachine();
        foreach (var key in new[] { "x", "y", "z" }) Apply(first, new KvCommand(KvOp.Set, key, key));
        foreach (var key in new[] { "z", "x", "y" }) Apply(second, new KvCommand(KvOp.Set, key, key));
        Assert.Equal(first.TakeSnapshot(), second.TakeSnapshot());
    }

    [Fact]
    public void AFlippedBitOrATruncatedSnapshotIsRefusedAndChangesNothing()
    {
        var machine = new KvStateMachine();
        Apply(machine, new KvCommand(KvOp.Set, "a", "1"));
        var snapshot = machine.TakeSnapshot();
        var flipped = (byte[])snapshot.Clone();
        flipped[flipped.Length / 2] ^= 0x10;

        var target = new KvStateMachine();
        Apply(target, new KvCommand(KvOp.Set, "keep", "me"));
        Assert.Throws<InvalidDataException>(() => target.Restore(flipped));
        Assert.Throws<InvalidDataException>(() => target.Restore(snapshot[..^6]));
        Assert.Throws<InvalidDataException>(() => target.Restore([]));
        Assert.Equal("me", Get(target, "keep"));
    }
}
