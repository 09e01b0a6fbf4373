using Orleans.Storage;
using OrleansRaft.Core;
using OrleansRaft.Grains.Kv;
using OrleansRaft.Grains.Storage;

namespace OrleansRaft.Benchmarks.Compaction;

/// <summary>
/// One Raft peer hosted the way the peer grain hosts it (same stores, same Ready order, same snapshot rule: snapshot
/// once the applied log passes <c>snapshotLogBytes</c>, keep <c>catchUp</c> entries), as a one-node group so that
/// what is measured is the storage path and not the network.
/// </summary>
internal sealed class BenchPeer
{
    private readonly GrainStoragePeerRow _hard;
    private readonly GrainStorageLogStore _log;
    private readonly GrainStorageSnapshotStore _snapshots;
    private readonly KvStateMachine _machine = new();
    private readonly long _snapshotLogBytes;
    private readonly int _catchUp;
    private RaftNode _node = null!;
    private long _appliedBytes;

    private BenchPeer(IGrainStorage storage, GrainId id, long snapshotLogBytes, int catchUp)
    {
        _hard = new GrainStoragePeerRow(storage, id);
        _log = new GrainStorageLogStore(storage, id, segmentEntries: 64);
        _snapshots = new GrainStorageSnapshotStore(storage, id, chunkBytes: 256 * 1024);
        _snapshotLogBytes = snapshotLogBytes;
        _catchUp = catchUp;
    }

    public long LastIndex => _node.LastIndex;

    public long FirstIndex => _node.FirstIndex;

    public int Keys => _machine.Count;

    /// <summary>Loads hard state, snapshot and log, restores the state machine, and becomes leader.</summary>
    public static async Task<BenchPeer> OpenAsync(IGrainStorage storage, GrainId id, long snapshotLogBytes, int catchUp)
    {
        var peer = new BenchPeer(storage, id, snapshotLogBytes, catchUp);
        var hard = await peer._hard.LoadAsync();
        var snapshot = await peer._snapshots.LoadAsync();
        var entries = await peer._log.LoadAsync();
        if (snapshot is not null) peer._machine.Restore(snapshot.Data);
        peer._node = new RaftNode(new RaftConfig { Id = "bench/0", Peers = ["bench/0"], RandomSeed = 1 }, new PersistedState(hard, entries, snapshot));
        for (var tick = 0; tick < 100 && peer._node.Role != RaftRole.Leader; tick++)
        {
            peer._node.Tick();
            await peer.DrainAsync();
        }
        if (peer._node.Role != RaftRole.Leader) throw new InvalidOperationException("the one-node group elected no leader");
        await peer.DrainAsync();
        return peer;
    }

    /// <summary>Proposes the commands as one batch and returns once they are durable and applied.</summary>
    public async Task WriteAsync(IReadOnlyList<byte[]> commands)
    {
        foreach (var command in commands)
        {
            var result = _node.Propose(command);
            if (!result.Accepted) throw new InvalidOperationException($"proposal refused: {result.Reason}");
        }
        await DrainAsync();
    }

    private async Task DrainAsync()
    {
        while (_node.HasReady)
        {
            var ready = _node.GetReady();
            if (ready.Snapshot is { } installed)
            {
                await _snapshots.SaveAsync(installed);
                await _log.ClearAsync();
                _machine.Restore(installed.Data);
            }
            if (ready.Entries.Count > 0) await _log.AppendAsync(ready.Entries);
            if (ready.HardState is { } hard) await _hard.SaveAsync(hard with { Commit = 0 });
            foreach (var entry in ready.CommittedEntries)
            {
                _machine.Apply(entry);
                _appliedBytes += entry.Size;
            }
            _node.Advance(ready);
            if (_appliedBytes >= _snapshotLogBytes) await SnapshotAsync();
        }
    }

    private async Task SnapshotAsync()
    {
        var snapshot = _node.CreateSnapshot(_node.AppliedIndex, _machine.TakeSnapshot());
        await _snapshots.SaveAsync(snapshot);
        var through = Math.Max(_node.FirstIndex - 1, snapshot.Index - _catchUp);
        _node.Compact(through);
        await _log.CompactAsync(through);
        _appliedBytes = 0;
    }
}
