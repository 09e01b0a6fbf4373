using System.Data.Common;
using Orleans.Storage;

namespace OrleansRaft.Grains.Storage;

/// <summary>Reads one row and turns an unreadable payload into a <see cref="RaftStorageCorruptedException"/> that names
/// it. Database failures (unreachable, locked) stay what they are: they are not corruption.</summary>
internal static class RowReader
{
    public static string Describe(GrainId peer, string stateName)
    {
        var key = peer.Key.ToString() ?? "";
        var slash = key.LastIndexOf('/');
        var group = slash > 0 ? key[..slash] : key;
        return $"peer '{key}' of group '{group}', row '{stateName}'";
    }

    public static async Task ReadAsync<T>(IGrainStorage storage, string stateName, GrainId peer, GrainState<T> row)
    {
        try
        {
            await storage.ReadStateAsync(stateName, peer, row);
        }
        catch (Exception e) when (e is not (DbException or TimeoutException or OperationCanceledException or InconsistentStateException))
        {
            throw new RaftStorageCorruptedException(Describe(peer, stateName), $"unreadable payload ({e.GetType().Name}: {e.Message})", e);
        }
    }
}
