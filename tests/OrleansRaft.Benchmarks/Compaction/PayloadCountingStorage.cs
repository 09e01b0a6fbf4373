using Orleans.Storage;
using OrleansRaft.Grains.Storage;

namespace OrleansRaft.Benchmarks.Compaction;

/// <summary>Counts the payload each write hands to storage: entry bytes of log segments (whole segments are
/// rewritten), snapshot chunk bytes, and a small constant for the head, manifest and hard-state rows.</summary>
internal sealed class PayloadCountingStorage(IGrainStorage inner) : IGrainStorage
{
    private const int SmallRowBytes = 48;

    public long PayloadBytes { get; private set; }

    public long Writes { get; private set; }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Writes++;
        PayloadBytes += grainState.State switch
        {
            LogSegmentRecord segment => segment.Entries.Sum(e => (long)e.Size),
            SnapshotChunkRecord chunk => chunk.Data.Length + SmallRowBytes,
            _ => SmallRowBytes,
        };
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
