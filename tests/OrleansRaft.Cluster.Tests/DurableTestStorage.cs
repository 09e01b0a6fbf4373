using System.Collections.Concurrent;
using Orleans.Storage;

namespace OrleansRaft.Cluster.Tests;

/// <summary>
/// Grain storage that outlives silos: in-process test silos share this one instance, so its table survives
/// KillSiloAsync the way a database file would. (Orleans' memory storage keeps rows in grains, which die with
/// their silo: a peer would come back without its vote, which is exactly the bug Raft must never have.)
/// ETags are checked like the ADO.NET provider does.
/// </summary>
public sealed class DurableTestStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (string ETag, object State)> _rows = new();
    private long _version;

    /// <summary>Rows whose state name starts with <paramref name="prefix"/> (e.g. <c>raft.log.</c>), over all peers.</summary>
    public int CountRows(string prefix) => _rows.Keys.Count(k => k.State.StartsWith(prefix, StringComparison.Ordinal));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_rows.TryGetValue((stateName, grainId), out var row))
        {
            grainState.State = (T)row.State;
            grainState.ETag = row.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        var etag = Interlocked.Increment(ref _version).ToString();
        lock (_rows)
        {
            var stored = _rows.TryGetValue(key, out var row) ? row.ETag : null;
            if (stored != grainState.ETag)
                throw new InconsistentStateException($"ETag mismatch on {stateName} of {grainId}", stored, grainState.ETag);
            _rows[key] = (etag, grainState.State!);
        }
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_rows) _rows.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
