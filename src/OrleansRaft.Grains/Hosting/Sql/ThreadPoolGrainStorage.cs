using Orleans.Storage;

namespace OrleansRaft.Hosting.Sql;

/// <summary>
/// Runs a grain storage provider's operations on the thread pool. Microsoft.Data.Sqlite has no asynchronous I/O: its
/// async methods complete on the calling thread, fsync included. Called from a grain, a write would hold the
/// activation's turn (and an Orleans scheduler thread) until it is on disk, so nothing else reaches the peer in the
/// meantime: no proposal or AppendEntries could join the next write, and every write would carry one request.
/// Behind this decorator the grain awaits the write like real I/O and keeps taking requests.
/// </summary>
internal sealed class ThreadPoolGrainStorage(IGrainStorage inner) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Task.Run(() => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Task.Run(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Task.Run(() => inner.ClearStateAsync(stateName, grainId, grainState));
}
