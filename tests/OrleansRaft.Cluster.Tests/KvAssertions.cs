using OrleansRaft.Kv;

namespace OrleansRaft.Cluster.Tests;

/// <summary>Writes that retry until acknowledged, and reads that check every acknowledged write.</summary>
internal static class KvAssertions
{
    /// <summary>Writes until acknowledged: the facade may answer Timeout while the group fails over, and a retry
    /// with the same request id is applied at most once.</summary>
    public static async Task SetAsync(RaftTestCluster raft, Dictionary<string, string> acknowledged, string key, string value)
    {
        var id = new RequestId($"test-{key}", 1);
        await RaftTestCluster.WaitUntilAsync(async () =>
        {
            var response = await raft.Kv.Set(key, value, id);
            return response.Status == KvStatus.Ok ? response : null;
        }, $"set {key}");
        acknowledged[key] = value;
    }

    public static async Task AssertAllReadableAsync(RaftTestCluster raft, Dictionary<string, string> acknowledged)
    {
        foreach (var (key, value) in acknowledged)
        {
            var read = await RaftTestCluster.WaitUntilAsync(async () =>
            {
                var r = await raft.Kv.Get(key);
                return r.IsError ? null : r;
            }, $"get {key}");
            Assert.Equal(KvStatus.Ok, read.Status);
            Assert.Equal(value, read.Value);
        }
    }
}
