using Orleans.Storage;
using OrleansRaft.Core;
using OrleansRaft.Core.Messages;
using OrleansRaft.Grains.Storage;
using OrleansRaft.Hosting;

namespace OrleansRaft.Grains.Peers;

/// <summary>
/// Everything one activation of a peer persists, fenced by the peer row (<see cref="GrainStoragePeerRow"/>):
/// opening claims the row, and every operation that writes anything ends with an ETag-checked write of it. Orleans
/// may run two activations of one grain for a moment; whichever is superseded fails its next fence write (or fence
/// check) and must then send nothing, answer nothing and deactivate. Every method throws on failure; the caller
/// fences itself on any exception.
/// </summary>
/// <remarks>The rules, each of which the simulator showed necessary (tests/OrleansRaft.Core.Tests/Simulation,
/// "Peer identity"): claim the peer row before loading; end every persisting Ready with it; let it vouch for the
/// log's end; reclaim the rows an older activation may still write; never write over a row a newer activation
/// wrote; check the row before a Ready that promises something but writes nothing.</remarks>
internal sealed class PeerStore
{
    private readonly GrainStoragePeerRow _row;
    private HardState _durable;

    /// <summary>The node's hard state as its last Ready reported it. Its commit index goes into the peer row with
    /// writes that happen anyway (a commit alone is not worth one), so the durable commit index lags.</summary>
    private HardState _latest;

    /// <summary>The last index of the durable log (or of the snapshot that replaced it), as this activation wrote it.</summary>
    private long _logEnd;

    public PeerStore(IGrainStorage storage, GrainId grainId, RaftGroupOptions options)
    {
        _row = new GrainStoragePeerRow(storage, grainId);
        Log = new GrainStorageLogStore(storage, grainId, options.LogSegmentEntries);
        Snapshots = new GrainStorageSnapshotStore(storage, grainId, options.SnapshotChunkBytes);
    }

    public GrainStorageLogStore Log { get; }

    public GrainStorageSnapshotStore Snapshots { get; }

    public PeerIdentity? Identity => _row.Identity;

    public long FenceSequence => _row.Sequence;

    /// <summary>Non-zero when the peer row is a retired peer's tombstone (the index of its removal).</summary>
    public long RetiredAt => _row.RetiredAt;

    /// <summary>Set when opening found no storage at all (no peer row, no log, no snapshot).</summary>
    public bool IsEmpty { get; private set; }

    /// <summary>Checks (or, when <paramref name="bootstrap"/> is set and the peer has no storage at all, writes) the
    /// identity, claims the peer row, and only then loads the rest, then reclaims the rows an older activation may
    /// still be about to write: what it writes after the claim is never acknowledged by it, and either fails on an
    /// ETag or lies past the log's end.</summary>
    public async Task<PersistedState> OpenAsync(PeerIdentity expected, bool bootstrap)
    {
        var found = await _row.OpenAsync();
        if (found is null)
        {
            var snapshot = await Snapshots.LoadAsync();
            var entries = await Log.LoadAsync();
            if (snapshot is not null || entries.Count > 0)
                throw new RaftPeerIdentityException($"Raft peer {expected.Group}/{expected.Peer} on node '{expected.Node}' refuses to start: its storage holds a log but no identity record (written by an older version, or damaged). Replace the peer by membership change.");
            IsEmpty = true;
            if (!bootstrap)
                throw new RaftPeerIdentityException($"Raft peer {expected.Group}/{expected.Peer} on node '{expected.Node}' refuses to start: it has no storage, and the group was not bootstrapped here. A peer that lost its storage must not rejoin as if it had voted nothing: replace it by membership change, or bootstrap a new group ({nameof(RaftGroupOptions.Bootstrap)}, silo run --bootstrap).");
            // No older activation can write anything here: it would have had to bootstrap the peer too.
            await _row.BootstrapAsync(expected);
            SetGeneration();
            _durable = _latest = HardState.Empty;
            return PersistedState.Empty;
        }
        CheckIdentity(found, expected);
        if (_row.RetiredAt != 0)
            throw new RaftPeerIdentityException($"Raft peer {expected.Group}/{expected.Peer} on node '{expected.Node}' refuses to start: it was removed from its group (by the change at index {_row.RetiredAt}) and its storage deleted. To have a member on this node again, add one (client member add).");
        await _row.ClaimAsync();
        SetGeneration();
        _durable = _latest = await _row.LoadAsync();
        var loadedSnapshot = await Snapshots.LoadAsync();
        var loaded = await Log.LoadAsync(_row.LogEnd);
        _logEnd = Math.Max(Log.LastIndex, loadedSnapshot?.Index ?? 0);
        if (_durable.Commit > _logEnd)
            throw new RaftStorageCorruptedException($"peer '{_row.GrainId.Key}', row '{GrainStoragePeerRow.StateName}'",
                $"it records commit index {_durable.Commit}, but the stored log and snapshot end at index {_logEnd}");
        var committed = Math.Max(_durable.Commit, loadedSnapshot?.Index ?? 0);
        await Snapshots.ReclaimAsync();
        await Log.ReclaimAsync(committed);
        return new PersistedState(_durable, loaded, loadedSnapshot);
    }

    /// <summary>The first start of a peer added by a membership change: writes its identity on storage that
    /// <see cref="OpenAsync"/> found empty (insert only, so two racing joins cannot both succeed). The next activation
    /// opens it like any other.</summary>
    public async Task CreateJoinedAsync(PeerIdentity identity)
    {
        if (!IsEmpty) throw new InvalidOperationException("Only a peer with no storage at all can join.");
        await _row.BootstrapAsync(identity);
        IsEmpty = false;
    }

    /// <summary>Once the peer's removal has committed: deletes its snapshot and log, then marks the peer row retired,
    /// all fenced as usual (a newer activation's rows stop it).</summary>
    public async Task RetireAsync(long removalIndex)
    {
        await Snapshots.DeleteAllAsync();
        await Log.ClearAsync();
        await _row.RetireAsync(removalIndex);
    }

    private void SetGeneration() => Log.Generation = Snapshots.Generation = _row.Sequence;

    /// <summary>Step 1 of the Ready contract. Returns once everything is durable and the fence held; throws otherwise.</summary>
    public async Task PersistAsync(Ready ready)
    {
        if (ready.HardState is { } next) _latest = next;
        var termOrVoteChanged = _latest.Term != _durable.Term || _latest.Vote != _durable.Vote;
        var writes = ready.Snapshot is not null || ready.Entries.Count > 0 || termOrVoteChanged;
        if (ready.Snapshot is { } installed)
        {
            // It replaces the whole log: durable first, then the old log goes (a crash in between is handled at
            // restart, where the node drops stored entries that do not continue the snapshot).
            await Snapshots.SaveAsync(installed);
            await Log.ClearAsync();
            _logEnd = installed.Index;
        }
        // Entries before the peer row: a hard state durable ahead of the entries it speaks for would let a restart
        // trust stale entries.
        if (ready.Entries.Count > 0)
        {
            await Log.AppendAsync(ready.Entries);
            _logEnd = ready.Entries[^1].Index;
        }
        if (writes) await FenceAsync();
        else if (PromisesSomething(ready.Messages)) await CheckFenceAsync();
    }

    /// <summary>Saves a snapshot this peer took and moves its log's start to <paramref name="compactThrough"/>.</summary>
    public async Task SaveSnapshotAsync(Snapshot snapshot, long compactThrough)
    {
        await Snapshots.SaveAsync(snapshot);
        await Log.MoveStartAsync(compactThrough);
        await FenceAsync();
    }

    /// <summary>Deletes some of the log rows a snapshot freed.</summary>
    public async Task DeleteGarbageAsync(int maxSegments)
    {
        await Log.DeleteGarbageAsync(maxSegments);
        await FenceAsync();
    }

    private async Task FenceAsync()
    {
        await _row.SaveAsync(_latest, _logEnd);
        _durable = _latest;
    }

    private async Task CheckFenceAsync()
    {
        if (!await _row.IsCurrentAsync())
            throw new InconsistentStateException($"Raft peer row of {_row.GrainId} was written by another activation since this one claimed it.");
    }

    /// <summary>Messages that speak for this peer's durable state even when the Ready writes nothing: an append
    /// acknowledged again, a vote granted again, a heartbeat reply (it confirms a leader's reads). A superseded
    /// activation must not send them, so they wait for a check that the peer row is still this activation's.</summary>
    internal static bool PromisesSomething(IReadOnlyList<RaftMessage> messages)
    {
        foreach (var message in messages)
        {
            if (message is AppendEntriesReply { Success: true } or RequestVoteReply { Granted: true, PreVote: false } or HeartbeatReply)
                return true;
        }
        return false;
    }

    private static void CheckIdentity(PeerIdentity found, PeerIdentity expected)
    {
        var where = $"Raft peer {expected.Group}/{expected.Peer} on node '{expected.Node}' refuses to start";
        if (found.Group != expected.Group || found.Peer != expected.Peer)
            throw new RaftPeerIdentityException($"{where}: its storage belongs to peer {found.Group}/{found.Peer}.");
        if (found.Node != expected.Node)
            throw new RaftPeerIdentityException($"{where}: its storage belongs to node '{found.Node}' (a peer runs only on its own node).");
        if (!found.Nodes.SequenceEqual(expected.Nodes, StringComparer.Ordinal))
            throw new RaftPeerIdentityException($"{where}: this silo configures the group with nodes {PeerIdentity.Describe(expected.Nodes)}, but it was bootstrapped with nodes {PeerIdentity.Describe(found.Nodes)}.");
    }
}
