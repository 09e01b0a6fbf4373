using OrleansRaft.Core;
using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Storage;
using Orleans.Storage;

namespace OrleansRaft.Grains.Storage;

/// <summary>
/// A peer's snapshot through grain storage: its bytes in chunks of at most <c>chunkBytes</c> (rows
/// <c>raft.snap.{index}.{n}</c>), and a manifest row (<c>raft.snap</c>) naming the index of the current one.
/// </summary>
/// <remarks>Atomic replacement: a new snapshot's chunks go into rows named by its own index, then the manifest
/// switches to it, then the old snapshot's chunks are deleted. A crash before the switch leaves the old snapshot
/// current and whole; after it, the new one. Chunk rows are named by index, not by a reused slot, so that an
/// activation that was superseded (see <see cref="GrainStoragePeerRow"/>) and still writes chunks can only write rows
/// no current snapshot uses, or the same bytes into rows of a snapshot at the same index (the state machine is
/// deterministic); the manifest itself is written with the ETag this activation read, and chunks name the
/// <see cref="Generation"/> that wrote them, so an activation does not overwrite or delete a newer one's. Every chunk
/// and the whole snapshot carry checksums, verified on load.</remarks>
public sealed class GrainStorageSnapshotStore : ISnapshotStore
{
    public const string ManifestName = "raft.snap";

    private readonly IGrainStorage _storage;
    private readonly GrainId _grainId;
    private readonly int _chunkBytes;
    private readonly GrainState<SnapshotManifestRecord> _manifest = new(new SnapshotManifestRecord());
    private Snapshot? _current;
    private bool _loaded;

    /// <summary>This activation's generation (see <see cref="GrainStorageLogStore.Generation"/>).</summary>
    public long Generation { get; set; }

    public GrainStorageSnapshotStore(IGrainStorage storage, GrainId grainId, int chunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        _storage = storage;
        _grainId = grainId;
        _chunkBytes = chunkBytes;
    }

    public static string ChunkName(long index, int chunk) => $"raft.snap.{index}.{chunk}";

    public async ValueTask<Snapshot?> LoadAsync(CancellationToken cancellationToken = default)
    {
        await RowReader.ReadAsync(_storage, ManifestName, _grainId, _manifest);
        _loaded = true;
        if (!_manifest.RecordExists || _manifest.State is null)
        {
            _manifest.State = new SnapshotManifestRecord();
            return _current = null;
        }
        var manifest = _manifest.State;
        RowChecksums.Verify(manifest, Where(ManifestName));
        if (manifest.Chunks == 0) return _current = null;
        var data = new byte[manifest.Length];
        var offset = 0;
        for (var chunk = 0; chunk < manifest.Chunks; chunk++)
        {
            var name = ChunkName(manifest.Index, chunk);
            var row = new GrainState<SnapshotChunkRecord>(new SnapshotChunkRecord());
            await RowReader.ReadAsync(_storage, name, _grainId, row);
            if (!row.RecordExists || row.State is null)
                throw new RaftStorageCorruptedException(Where(name), $"is missing: the manifest names {manifest.Chunks} chunks");
            RowChecksums.Verify(row.State, manifest.Index, chunk, Where(name));
            if (offset + row.State.Data.Length > data.Length)
                throw new RaftStorageCorruptedException(Where(name), $"runs past the snapshot's length {manifest.Length}");
            row.State.Data.CopyTo(data, offset);
            offset += row.State.Data.Length;
        }
        if (offset != data.Length || RowChecksums.OfData(data) != manifest.DataChecksum)
            throw new RaftStorageCorruptedException(Where(ManifestName), $"its {manifest.Chunks} chunks do not add up to the snapshot it describes");
        var configuration = manifest.Voters is null ? null : new Configuration(manifest.Voters, manifest.Learners ?? []);
        return _current = new Snapshot(manifest.Index, manifest.Term, data, configuration);
    }

    public async ValueTask SaveAsync(Snapshot snapshot, CancellationToken cancellationToken = default)
    {
        if (!_loaded) await LoadAsync(cancellationToken);
        SnapshotStoreRules.CheckSave(snapshot, _current);
        var old = _manifest.State!;
        var exists = HasSnapshot;
        var chunks = Math.Max(1, (snapshot.Data.Length + _chunkBytes - 1) / _chunkBytes);

        // A cleanup that a crash interrupted: the snapshot before the current one may still have chunks.
        if (exists && old.PreviousIndex != old.Index)
            for (var chunk = 0; chunk < old.PreviousChunks; chunk++) await DeleteAsync(ChunkName(old.PreviousIndex, chunk));
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            var start = chunk * _chunkBytes;
            var data = snapshot.Data.AsSpan(start, Math.Min(_chunkBytes, snapshot.Data.Length - start)).ToArray();
            var row = new GrainState<SnapshotChunkRecord>(RowChecksums.Seal(new SnapshotChunkRecord { Index = snapshot.Index, Chunk = chunk, Data = data, Writer = Generation }));
            await WriteOverAsync(ChunkName(snapshot.Index, chunk), row);
        }

        var replaced = exists && old.Index != snapshot.Index;
        _manifest.State = RowChecksums.Seal(new SnapshotManifestRecord
        {
            Index = snapshot.Index,
            Term = snapshot.Term,
            Chunks = chunks,
            Length = snapshot.Data.Length,
            DataChecksum = RowChecksums.OfData(snapshot.Data),
            PreviousIndex = replaced ? old.Index : snapshot.Index,
            PreviousChunks = replaced ? old.Chunks : 0,
            Voters = snapshot.Configuration is { } c ? [.. c.Voters] : null,
            Learners = snapshot.Configuration is { } d ? [.. d.Learners] : null,
        });
        await _storage.WriteStateAsync(ManifestName, _grainId, _manifest);
        _current = snapshot;

        if (replaced)
            for (var chunk = 0; chunk < old.Chunks; chunk++) await DeleteAsync(ChunkName(old.Index, chunk));
        // A snapshot at the same index with fewer chunks than the one it rewrote (a larger chunk size): drop the rest.
        else if (exists)
            for (var chunk = chunks; chunk < old.Chunks; chunk++) await DeleteAsync(ChunkName(old.Index, chunk));
    }

    /// <summary>Rewrites the manifest unchanged, or writes one naming no snapshot if there is none: right after
    /// loading, so that an older activation's install or snapshot landing later fails on the manifest's ETag.</summary>
    public async ValueTask ReclaimAsync()
    {
        if (!_loaded) await LoadAsync();
        var manifest = _manifest.State!;
        _manifest.State = RowChecksums.Seal(new SnapshotManifestRecord
        {
            Index = manifest.Index,
            Term = manifest.Term,
            Chunks = manifest.Chunks,
            Length = manifest.Length,
            DataChecksum = manifest.DataChecksum,
            PreviousIndex = manifest.PreviousIndex,
            PreviousChunks = manifest.PreviousChunks,
            Voters = manifest.Voters,
            Learners = manifest.Learners,
        });
        await _storage.WriteStateAsync(ManifestName, _grainId, _manifest);
    }

    /// <summary>Deletes every chunk of the current and the previous snapshot and leaves a manifest that names none.</summary>
    public async ValueTask DeleteAllAsync()
    {
        if (!_loaded) await LoadAsync();
        var manifest = _manifest.State!;
        for (var chunk = 0; chunk < manifest.Chunks; chunk++) await DeleteAsync(ChunkName(manifest.Index, chunk));
        for (var chunk = 0; chunk < manifest.PreviousChunks; chunk++) await DeleteAsync(ChunkName(manifest.PreviousIndex, chunk));
        _manifest.State = RowChecksums.Seal(new SnapshotManifestRecord());
        await _storage.WriteStateAsync(ManifestName, _grainId, _manifest);
        _current = null;
    }

    private bool HasSnapshot => _manifest.RecordExists && _manifest.State is { Chunks: > 0 };

    private string Where(string row) => RowReader.Describe(_grainId, row);

    /// <summary>Writes a chunk row whatever it held before (its ETag is read first, as grain storage requires): the row
    /// is named by the snapshot's index, so what it held is either nothing or a leftover of this same snapshot.</summary>
    private async ValueTask WriteOverAsync(string name, GrainState<SnapshotChunkRecord> row)
    {
        var existing = new GrainState<SnapshotChunkRecord>();
        await ReadRawAsync(name, existing);
        CheckWriter(name, existing);
        row.ETag = existing.ETag;
        row.RecordExists = existing.RecordExists;
        await _storage.WriteStateAsync(name, _grainId, row);
    }

    private async ValueTask DeleteAsync(string name)
    {
        var existing = new GrainState<SnapshotChunkRecord>();
        await ReadRawAsync(name, existing);
        CheckWriter(name, existing);
        if (existing.RecordExists && existing.State is { Format: not 0 }) await _storage.ClearStateAsync(name, _grainId, existing);
    }

    private void CheckWriter(string name, GrainState<SnapshotChunkRecord> existing)
    {
        if (existing.State is { } chunk && chunk.Writer > Generation)
            throw new InconsistentStateException($"{Where(name)} was written by a newer activation (generation {chunk.Writer}; this one is {Generation}).");
    }

    /// <summary>Reads a row only for its ETag: a chunk being replaced or deleted may be a leftover that is not worth
    /// verifying, and an unreadable one must not stop the cleanup.</summary>
    private async ValueTask ReadRawAsync(string name, GrainState<SnapshotChunkRecord> row)
    {
        try
        {
            await _storage.ReadStateAsync(name, _grainId, row);
        }
        catch (Exception e) when (e is not (System.Data.Common.DbException or TimeoutException or OperationCanceledException))
        {
            // A leftover whose payload cannot be read: its ETag is what matters, and the storage could not give it.
            throw new RaftStorageCorruptedException(Where(name), $"unreadable leftover chunk ({e.GetType().Name}: {e.Message})", e);
        }
    }
}
