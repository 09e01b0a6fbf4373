using Orleans.Storage;
using OrleansRaft.Grains.Storage;

namespace OrleansRaft.Cluster.Tests.Storage;

/// <summary>Wraps a grain storage, counts the log entries each write carries, and can fail on a chosen write
/// (a crash in the middle of a multi-row append).</summary>
internal sealed class CountingStorage(IGrainStorage inner) : IGrainStorage
{
    public List<int> EntriesPerWrite { get; } = [];

    public int Writes { get; private set; }

    /// <summary>The write with this 1-based number throws instead of writing, and so do all after it.</summary>
    public int FailFromWrite { get; set; } = int.MaxValue;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (++Writes >= FailFromWrite) throw new IOException($"simulated crash at write {Writes}");
        if (grainState.State is LogSegmentRecord segment) EntriesPerWrite.Add(segment.Entries.Count);
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
