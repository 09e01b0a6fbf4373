using OrleansRaft.Core;
using OrleansRaft.Grains.Storage;
using OrleansRaft.Peers;

namespace OrleansRaft.Grains.Peers;

internal sealed partial class RaftPeerGrain
{
    /// <summary>Snapshots the applied state, makes the snapshot durable, and only then compacts the log (in the
    /// node and in storage), keeping <see cref="SnapshotPolicy.CatchUpEntries"/> behind it. Runs inside the Ready
    /// loop, between two Readies, so the state machine is exactly at the node's applied index.</summary>
    private async Task TakeSnapshotAsync()
    {
        var index = _node.AppliedIndex;
        if (index <= (_node.Snapshot?.Index ?? 0)) return;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var snapshot = _node.CreateSnapshot(index, _stateMachine.TakeSnapshot());
        var through = Math.Max(_node.FirstIndex - 1, snapshot.Index - _snapshotPolicy.CatchUpEntries);
        // One write moves the log's start; the rows it frees are deleted while the peer is idle (ProcessReadyAsync).
        await _store.SaveSnapshotAsync(snapshot, through);
        _node.Compact(through);
        _snapshotPolicy.OnSnapshot();
        LogSnapshotTaken(_node.Id, snapshot.Index, snapshot.Data.Length, through);
        Metrics.SnapshotTaken(_group, snapshot.Data.Length, started);
    }

    /// <summary>The leader's snapshot replaces the state machine. Proposals waiting here for entries it covers cannot
    /// be answered from it: their outcome is unknown, and the caller's retry is answered by the session table.</summary>
    private void RestoreFromLeader(Snapshot snapshot)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        RestoreStateMachine(snapshot);
        _snapshotPolicy.OnSnapshot();
        foreach (var index in _proposals.Keys.Where(i => i <= snapshot.Index).ToList())
            if (_proposals.Remove(index, out var proposal))
                proposal.Completion.TrySetResult(new ProposeResponse(PeerOutcome.Unknown, null, _node.Leader, index, "covered by a snapshot from the leader"));
        LogSnapshotInstalled(_node.Id, snapshot.Index, snapshot.Data.Length);
        Metrics.SnapshotInstalled(_group, snapshot.Data.Length, started);
    }

    private void RestoreStateMachine(Snapshot snapshot)
    {
        try
        {
            _stateMachine.Restore(snapshot.Data);
        }
        catch (InvalidDataException e)
        {
            throw new RaftStorageCorruptedException(RowReader.Describe(this.GetGrainId(), GrainStorageSnapshotStore.ManifestName),
                $"the snapshot at index {snapshot.Index} does not decode: {e.Message}", e);
        }
    }
}
