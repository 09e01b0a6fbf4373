using System.Collections.Concurrent;
using Orleans.Storage;

namespace OrleansRaft.TestingHost;

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
    public int CountRows(string prefix) =>
        _rows.Count(pair => pair.Key.State.StartsWith(prefix, StringComparison.Ordinal) && !ReferenceEquals(pair.Value.State, Cleared));

    /// <summary>The state names of <paramref name="grain"/>'s rows that hold something (not cleared).</summary>
    public IReadOnlyList<string> RowsOf(GrainId grain) =>
        [.. _rows.Where(pair => pair.Key.Grain == grain && !ReferenceEquals(pair.Value.State, Cleared)).Select(pair => pair.Key.State).Order(StringComparer.Ordinal)];

    /// <inheritdoc/>
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_rows.TryGetValue((stateName, grainId), out var row))
        {
            grainState.State = ReferenceEquals(row.State, Cleared) ? Activator.CreateInstance<T>() : (T)row.State;
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

    /// <inheritdoc/>
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        grainState.ETag = Replace(stateName, grainId, grainState.ETag, grainState.State!);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    /// <summary>As the ADO.NET provider clears by default: ETag-checked, the row stays with its version bumped and no
    /// payload (it reads back as existing, with a new empty state). Clearing a row that was never written does nothing.</summary>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.ETag is null && !_rows.ContainsKey((stateName, grainId))) return Task.CompletedTask;
        grainState.ETag = Replace(stateName, grainId, grainState.ETag, Cleared);
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

    /// <summary>The payload of a cleared row.</summary>
    private static readonly object Cleared = new();

    /// <summary>Stores <paramref name="state"/> if the row's ETag is still <paramref name="expected"/>; returns the new one.</summary>
    private string Replace(string stateName, GrainId grainId, string? expected, object state)
    {
        var key = (stateName, grainId);
        var etag = Interlocked.Increment(ref _version).ToString();
        lock (_rows)
        {
            var stored = _rows.TryGetValue(key, out var row) ? row.ETag : null;
            if (stored != expected)
                throw new InconsistentStateException($"ETag mismatch on {stateName} of {grainId}", stored, expected);
            _rows[key] = (etag, state);
        }
        return etag;
    }
}
