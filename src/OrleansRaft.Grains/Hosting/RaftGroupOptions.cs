using OrleansRaft.Core;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Hosting;

/// <summary>Settings of one Raft group, registered with <c>AddRaftGroup(name, ...)</c> and read as named options.</summary>
public sealed class RaftGroupOptions
{
    public const int DefaultPeers = 3;
    public static readonly TimeSpan DefaultTickPeriod = TimeSpan.FromMilliseconds(25);
    public const int DefaultHeartbeatTicks = 2;
    public const int DefaultElectionTicks = 20;
    public const int DefaultLogSegmentEntries = 64;
    public const string DefaultStorageProvider = "OrleansRaft";
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultPeerCallTimeout = TimeSpan.FromSeconds(2);
    public const long DefaultSnapshotLogBytes = 4 * 1024 * 1024;
    public const int DefaultSnapshotCatchUpEntries = 1000;
    public const int DefaultSnapshotChunkBytes = 256 * 1024;
    public const int DefaultQuiesceTicks = 40;
    public static readonly TimeSpan DefaultQuietTickPeriod = TimeSpan.FromSeconds(5);

    /// <summary>Number of voting peers (grains <c>"{group}/0"</c> .. <c>"{group}/{Peers-1}"</c>). Odd numbers tolerate the most failures per peer.</summary>
    public int Peers { get; set; } = DefaultPeers;

    /// <summary>The node (silo name, <c>SiloOptions.SiloName</c>) of each peer, by peer index: peer i runs only on the
    /// silo named <c>Nodes[i]</c>, and is down while that silo is. Empty means <see cref="DefaultNodeName"/> of
    /// 0 .. <see cref="Peers"/>-1 (<c>node0</c>, <c>node1</c>, ...: the names the local cluster gives its silos).
    /// Recorded in every peer's storage at bootstrap; a silo configured otherwise refuses to host the group's peers.</summary>
    public List<string> Nodes { get; set; } = [];

    /// <summary>Whether every silo reaches the peers' storage (one PostgreSQL for all). Then a peer whose node has no
    /// active silo runs on a spare silo (one named after no node of the group, so never beside another of its peers)
    /// and goes back to its node as soon as that node's silo is active again. Off (node-local SQLite, the default), a
    /// peer runs only on its node and is down while the node is. <c>silo run --storage postgres</c> turns it on.</summary>
    public bool Roaming { get; set; }

    /// <summary>Whether a peer that finds no storage at all may create it (the first start of a new group). Off, such a
    /// peer refuses to start: a peer that lost its storage must never rejoin as if it had never voted.</summary>
    public bool Bootstrap { get; set; }

    /// <summary>Period of the grain timer that ticks the Raft node. Orleans timers fire about 0.5 to 7 ms late, so keep it well above that.</summary>
    public TimeSpan TickPeriod { get; set; } = DefaultTickPeriod;

    /// <summary>Heartbeat interval in ticks.</summary>
    public int HeartbeatTicks { get; set; } = DefaultHeartbeatTicks;

    /// <summary>Base election timeout in ticks; the effective timeout is random in [E, 2E) ticks.</summary>
    public int ElectionTicks { get; set; } = DefaultElectionTicks;

    /// <summary>A group that saw no proposal or read for this many ticks, with every peer holding the whole committed
    /// log, goes quiet: no heartbeats, no election timers, and the peers' timers slow to <see cref="QuietTickPeriod"/>.
    /// The first request or peer message wakes it, and so does any change of the cluster's membership (a silo dying), so
    /// a dead leader is still replaced. 0 keeps every group awake.</summary>
    public int QuiesceTicks { get; set; } = DefaultQuiesceTicks;

    /// <summary>Period of a quiet peer's timer: it only answers requests whose callers have long given up, and keeps
    /// the activation alive.</summary>
    public TimeSpan QuietTickPeriod { get; set; } = DefaultQuietTickPeriod;

    public int MaxInflightMessages { get; set; } = RaftConfig.DefaultMaxInflightMessages;

    public int MaxMessageBytes { get; set; } = RaftConfig.DefaultMaxMessageBytes;

    public long MaxUncommittedBytes { get; set; } = RaftConfig.DefaultMaxUncommittedBytes;

    /// <summary>Largest value the KV service accepts, in UTF-8 bytes.</summary>
    public int MaxValueBytes { get; set; } = KvLimits.DefaultMaxValueBytes;

    /// <summary>A client session with no write for this many log entries is forgotten (deterministically, on every
    /// replica). Keep it far above the writes the group serves during one client operation timeout.</summary>
    public long SessionExpiryEntries { get; set; } = KvLimits.DefaultSessionExpiryEntries;

    /// <summary>Name of the Orleans grain storage provider that holds hard state and log segments.</summary>
    public string StorageProvider { get; set; } = DefaultStorageProvider;

    /// <summary>Entries per storage row. Appending rewrites at most one or two rows, whatever the log's length.</summary>
    public int LogSegmentEntries { get; set; } = DefaultLogSegmentEntries;

    /// <summary>A peer snapshots its state machine and compacts its log once the entries it applied since its last
    /// snapshot add up to this many bytes; 0 turns snapshots off (the log then grows without bound).</summary>
    public long SnapshotLogBytes { get; set; } = DefaultSnapshotLogBytes;

    /// <summary>Entries kept in the log behind a new snapshot, so that a follower only a little behind catches up
    /// from the log rather than by receiving the whole snapshot.</summary>
    public int SnapshotCatchUpEntries { get; set; } = DefaultSnapshotCatchUpEntries;

    /// <summary>Largest piece of a snapshot in one storage row and in one InstallSnapshot message.</summary>
    public int SnapshotChunkBytes { get; set; } = DefaultSnapshotChunkBytes;

    /// <summary>How long the KV facade keeps trying (finding the leader, retrying) before answering Timeout.</summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    /// <summary>How long the facade waits for one peer before it tries another.</summary>
    public TimeSpan PeerCallTimeout { get; set; } = DefaultPeerCallTimeout;

    /// <summary>The name the local cluster gives its i-th silo, and the default node of peer i.</summary>
    public static string DefaultNodeName(int index) => $"node{index}";

    /// <summary>The nodes of the group's peers, by peer index (see <see cref="Nodes"/>).</summary>
    public IReadOnlyList<string> PeerNodes => Nodes.Count > 0 ? Nodes : [.. Enumerable.Range(0, Peers).Select(DefaultNodeName)];

    /// <summary>The node of <paramref name="peer"/>: named by its key for a peer added by a membership change, from
    /// <see cref="PeerNodes"/> for a bootstrap peer; null when the key names neither.</summary>
    public string? NodeOf(PeerKey peer) => peer.Node ?? (peer.Index < PeerNodes.Count ? PeerNodes[peer.Index] : null);

    /// <summary>Places the group's peers on <paramref name="nodes"/>, one each, in peer-index order.</summary>
    public RaftGroupOptions OnNodes(params string[] nodes)
    {
        Nodes = [.. nodes];
        Peers = nodes.Length;
        return this;
    }
}
