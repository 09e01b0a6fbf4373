using OrleansRaft.Core;
using OrleansRaft.Core.Storage;
using Orleans.Storage;

namespace OrleansRaft.Grains.Storage;

/// <summary>
/// The peer row (<c>raft.peer</c>): the peer's identity and its hard state in one grain-storage row, always written
/// with the ETag this activation last saw. It is the peer's fence: <see cref="ClaimAsync"/> at activation makes
/// every older activation's next write of it fail, and every Ready that persists anything ends with
/// <see cref="SaveAsync(HardState, long)"/>, so nothing a stale activation wrote after being superseded is ever acknowledged.
/// </summary>
public sealed class GrainStoragePeerRow(IGrainStorage storage, GrainId grainId) : IHardStateStore
{
    public const string StateName = "raft.peer";
    private readonly GrainState<PeerRecord> _row = new(new PeerRecord());
    private bool _loaded;

    /// <summary>The peer whose row this is.</summary>
    public GrainId GrainId => grainId;

    /// <summary>The identity read or written last; null while the peer was never bootstrapped.</summary>
    public PeerIdentity? Identity => _row.State is { Group: { } group, Node: { } node, Incarnation: { } incarnation } row
        ? new PeerIdentity(group, row.Peer, node, incarnation, row.Nodes)
        : null;

    /// <summary>The fence's generation: how many times the row was written.</summary>
    public long Sequence => _row.State?.Sequence ?? 0;

    /// <summary>The last durable log index the row vouches for (see <see cref="PeerRecord.LogEnd"/>).</summary>
    public long LogEnd => _row.State?.LogEnd ?? 0;

    /// <summary>The index of the removal that retired the peer, or 0 (see <see cref="PeerRecord.RetiredAt"/>).</summary>
    public long RetiredAt => _row.State?.RetiredAt ?? 0;

    /// <summary>Marks the peer retired, keeping its identity, term and vote; its log and snapshot must be gone already.</summary>
    public async ValueTask RetireAsync(long removalIndex)
    {
        var row = Copy(_row.State!);
        row.RetiredAt = removalIndex;
        row.Commit = 0;
        row.LogEnd = 0;
        await WriteAsync(row);
    }

    /// <summary>Reads the row (verifying its checksum); returns the identity it holds, or null if it holds none.</summary>
    public async ValueTask<PeerIdentity?> OpenAsync()
    {
        await RowReader.ReadAsync(storage, StateName, grainId, _row);
        _loaded = true;
        if (!_row.RecordExists || _row.State is null) _row.State = new PeerRecord();
        else RowChecksums.Verify(_row.State, RowReader.Describe(grainId, StateName));
        return Identity;
    }

    /// <summary>Writes the identity of a peer that had no storage at all (insert only: if another activation
    /// bootstrapped it meanwhile, this fails with an ETag conflict).</summary>
    public async ValueTask BootstrapAsync(PeerIdentity identity)
    {
        if (!_loaded) await OpenAsync();
        if (_row.RecordExists) throw new InvalidOperationException($"{RowReader.Describe(grainId, StateName)} exists already; a peer is bootstrapped once.");
        var row = Copy(_row.State!);
        row.Group = identity.Group;
        row.Peer = identity.Peer;
        row.Node = identity.Node;
        row.Incarnation = identity.Incarnation;
        row.Nodes = [.. identity.Nodes];
        await WriteAsync(row);
    }

    /// <summary>Rewrites the row unchanged but for its sequence: from now on, any other activation's write fails.</summary>
    public ValueTask ClaimAsync() => WriteAsync(Copy(_row.State!));

    /// <summary>Whether the row is still the one this activation wrote last: a read, for Readies that persist nothing
    /// but send what only the current activation may say (an acknowledgement, a vote, a heartbeat reply).</summary>
    public async ValueTask<bool> IsCurrentAsync()
    {
        var now = new GrainState<PeerRecord>(new PeerRecord());
        await RowReader.ReadAsync(storage, StateName, grainId, now);
        return now.RecordExists && now.ETag == _row.ETag;
    }

    public async ValueTask<HardState> LoadAsync(CancellationToken cancellationToken = default)
    {
        if (!_loaded) await OpenAsync();
        var row = _row.State!;
        return new HardState(row.Term, row.Vote, row.Commit);
    }

    public ValueTask SaveAsync(HardState state, CancellationToken cancellationToken = default) => SaveAsync(state, LogEnd);

    /// <summary>The fence write: the hard state, and the last index of the log as this activation wrote it.</summary>
    public async ValueTask SaveAsync(HardState state, long logEnd)
    {
        if (!_loaded) await OpenAsync();
        var row = Copy(_row.State!);
        row.Term = state.Term;
        row.Vote = state.Vote;
        row.Commit = state.Commit;
        row.LogEnd = logEnd;
        await WriteAsync(row);
    }

    /// <summary>Writes a new record, never the one last read or written: an in-memory store may hand several
    /// activations the same object, and a write that fails must leave what this activation knows unchanged.</summary>
    private async ValueTask WriteAsync(PeerRecord row)
    {
        row.Sequence++;
        RowChecksums.Seal(row);
        var write = new GrainState<PeerRecord>(row) { ETag = _row.ETag, RecordExists = _row.RecordExists };
        try
        {
            await storage.WriteStateAsync(StateName, grainId, write);
        }
        catch
        {
            // The write may or may not have happened: forget the ETag (a write without one is an insert, which fails on
            // a row that exists), so every later write of this activation fails too, as a fenced one's must.
            _row.ETag = null;
            throw;
        }
        _row.State = row;
        _row.ETag = write.ETag;
        _row.RecordExists = true;
    }

    private static PeerRecord Copy(PeerRecord row) => new()
    {
        Term = row.Term,
        Vote = row.Vote,
        Commit = row.Commit,
        LogEnd = row.LogEnd,
        Sequence = row.Sequence,
        Group = row.Group,
        Peer = row.Peer,
        Node = row.Node,
        Incarnation = row.Incarnation,
        Nodes = [.. row.Nodes ?? []],
        RetiredAt = row.RetiredAt,
    };
}
