using OrleansRaft.Core;
using OrleansRaft.Core.Storage;
using Orleans.Storage;

namespace OrleansRaft.Grains.Storage;

/// <summary>A peer's hard state in one grain-storage row, written with its ETag so that a second activation
/// of the same peer fails its write (InconsistentStateException) instead of silently overwriting.</summary>
public sealed class GrainStorageHardStateStore(IGrainStorage storage, GrainId grainId) : IHardStateStore
{
    public const string StateName = "raft.hard";
    private readonly GrainState<HardStateRecord> _row = new(new HardStateRecord());

    /// <summary>The peer whose hard state this is.</summary>
    public GrainId GrainId => grainId;

    public async ValueTask<HardState> LoadAsync(CancellationToken cancellationToken = default)
    {
        await RowReader.ReadAsync(storage, StateName, grainId, _row);
        if (!_row.RecordExists || _row.State is null)
        {
            _row.State = new HardStateRecord();
            return HardState.Empty;
        }
        RowChecksums.Verify(_row.State, RowReader.Describe(grainId, StateName));
        return new HardState(_row.State.Term, _row.State.Vote, _row.State.Commit);
    }

    public async ValueTask SaveAsync(HardState state, CancellationToken cancellationToken = default)
    {
        _row.State = RowChecksums.Seal(state);
        await storage.WriteStateAsync(StateName, grainId, _row);
    }
}
