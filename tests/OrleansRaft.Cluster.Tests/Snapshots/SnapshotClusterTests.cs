using OrleansRaft.Hosting;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Cluster.Tests.Snapshots;

/// <summary>
/// Snapshots and compaction on real grains (MIT 6.5840 lab 4B's shape): with a small snapshot threshold, peers
/// snapshot the KV store and its session table, compact their stored logs, catch a partitioned follower up through
/// chunked InstallSnapshot, and come back from restarts of every silo with nothing lost and retries still answered
/// from the session table.
/// </summary>
public sealed class SnapshotClusterTests
{
    private static void SmallSnapshots(RaftGroupOptions options)
    {
        options.SnapshotLogBytes = 4 * 1024;
        options.SnapshotCatchUpEntries = 4;
        options.SnapshotChunkBytes = 1024;
        options.LogSegmentEntries = 8;
    }

    private static async Task WriteManyAsync(RaftTestCluster raft, Dictionary<string, string> acknowledged, string prefix, int count)
    {
        // Twenty writers at a time: enough to fill several snapshots quickly, as one client's pipelined writes would.
        for (var start = 0; start < count; start += 20)
        {
            var batch = Enumerable.Range(start, Math.Min(20, count - start))
                .Select(i => (Key: $"{prefix}-{i % 50}", Value: $"{prefix}-value-{i}-{new string('x', 60)}")).ToList();
            var results = await Task.WhenAll(batch.Select(w => raft.Kv.Set(w.Key, w.Value)));
            for (var i = 0; i < batch.Count; i++)
            {
                Assert.Equal(KvStatus.Ok, results[i].Status);
                acknowledged[batch[i].Key] = batch[i].Value;
            }
        }
    }

    [Fact]
    public async Task APartitionedFollowerCatchesUpThroughInstallSnapshot()
    {
        await using var raft = await RaftTestCluster.StartAsync(3, options =>
        {
            options.NetworkSeed = 11;
            options.ConfigureGroup = SmallSnapshots;
        });
        var acknowledged = new Dictionary<string, string>();
        await KvAssertions.SetAsync(raft, acknowledged, "before", "1");
        var leader = await raft.WaitForLeaderAsync();
        var isolated = raft.Peers.First(p => p != leader.Peer);
        raft.Network.Partition([isolated], [.. raft.Peers.Where(p => p != isolated)]);

        await WriteManyAsync(raft, acknowledged, "during", 400);
        var behind = await PeerAsync(raft, isolated);
        var current = await raft.WaitForLeaderAsync(minimumPeersAgreeing: 2);
        Assert.True(current.FirstIndex > behind.LastIndex + 1,
            $"the leader kept its log from {current.FirstIndex}; the follower ends at {behind.LastIndex}, so no snapshot is needed");

        raft.Network.Heal();
        var caughtUp = await RaftTestCluster.WaitUntilAsync(async () =>
        {
            var follower = await PeerAsync(raft, isolated);
            var now = await raft.WaitForLeaderAsync();
            return follower.AppliedIndex >= now.CommitIndex - 1 && follower.FirstIndex > behind.LastIndex ? follower : null;
        }, "the partitioned follower to install a snapshot and catch up");
        Assert.True(caughtUp.FirstIndex > 1);
        await KvAssertions.AssertAllReadableAsync(raft, acknowledged);
    }

    [Fact]
    public async Task RestartingEverySiloRestoresFromSnapshotsWithSessionsIntact()
    {
        await using var raft = await RaftTestCluster.StartAsync(3, options => options.ConfigureGroup = SmallSnapshots);
        var storage = raft.MemoryStorage!;
        var acknowledged = new Dictionary<string, string>();
        await KvAssertions.SetAsync(raft, acknowledged, "cas", "old");
        var request = new RequestId("snapshot-session", 1);
        Assert.Equal(KvStatus.Swapped, (await raft.Kv.CompareAndSet("cas", "old", "new", request)).Status);
        acknowledged["cas"] = "new";
        await WriteManyAsync(raft, acknowledged, "bulk", 400);

        var status = await raft.Kv.Status();
        Assert.All(status.Peers, p => Assert.True(p!.FirstIndex > 1, $"{p.Peer} never compacted its log"));
        // Freed rows are deleted while the peers are idle, a few at a time: wait for that, not for a fixed time.
        await RaftTestCluster.WaitUntilAsync(
            () => Task.FromResult<object?>(storage.CountRows("raft.log.") < 3 * 20 ? "bounded" : null),
            $"the log rows of 3 peers to drop below 60 (compaction must keep storage bounded)");

        foreach (var silo in raft.RunningSilos)
            await raft.RestartAsync(silo);
        await raft.WaitForLeaderAsync();

        await KvAssertions.AssertAllReadableAsync(raft, acknowledged);
        // The same request again: its effect and answer are in the snapshot's session table, so it is answered
        // from there, not applied again (which would now fail the comparison).
        Assert.Equal(KvStatus.Swapped, (await raft.Kv.CompareAndSet("cas", "old", "new", request)).Status);
        await KvAssertions.SetAsync(raft, acknowledged, "after-restart", "ok");
        await KvAssertions.AssertAllReadableAsync(raft, acknowledged);
    }

    private static async Task<PeerStatus> PeerAsync(RaftTestCluster raft, string peer) =>
        (await raft.Kv.Status()).Peers.Single(p => p?.Peer == peer)!;
}
