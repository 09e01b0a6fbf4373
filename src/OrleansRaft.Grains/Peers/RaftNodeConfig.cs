using OrleansRaft.Core;
using OrleansRaft.Hosting;
using OrleansRaft.Peers;

namespace OrleansRaft.Grains.Peers;

/// <summary>Turns a group's options into the config of one of its nodes.</summary>
internal static class RaftNodeConfig
{
    public static RaftConfig For(PeerKey key, RaftGroupOptions options) => new()
    {
        Id = key.ToString(),
        Peers = PeerKey.AllOf(key.Group, options.Peers),
        ElectionTicks = options.ElectionTicks,
        HeartbeatTicks = options.HeartbeatTicks,
        QuiesceTicks = options.QuiesceTicks,
        MaxInflightMessages = options.MaxInflightMessages,
        MaxMessageBytes = options.MaxMessageBytes,
        MaxEntryBytes = options.MaxValueBytes + 2 * 1024 + 512,
        MaxUncommittedBytes = options.MaxUncommittedBytes,
        MaxSnapshotChunkBytes = options.SnapshotChunkBytes,
        // Jitter only has to differ between peers and activations; determinism matters in tests, not here.
        RandomSeed = Random.Shared.Next(),
        PreVote = true,
        CheckQuorum = true,
    };
}
