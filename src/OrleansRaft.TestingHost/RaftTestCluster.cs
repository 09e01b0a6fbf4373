using Orleans.TestingHost;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.TestingHost;

/// <summary>
/// A deployed in-process test cluster running one Raft group, with the waits and faults cluster tests need: wait for a
/// leader, find its silo, kill, stop and restart silos (a restarted silo is the same node, with its storage), cut and
/// heal links between peers, make the network lossy. Every wait and silo operation has a deadline
/// (<see cref="RaftTestOptions.Deadline"/>) and fails with a <see cref="RaftTestTimeoutException"/> that names what it
/// awaited and what it saw. Dispose it to stop every silo and delete the temporary storage.
/// </summary>
public sealed partial class RaftTestCluster : IAsyncDisposable
{
    private readonly RaftTestSetup _setup;

    internal RaftTestCluster(InProcessTestCluster cluster, RaftTestSetup setup)
    {
        Cluster = cluster;
        _setup = setup;
    }

    /// <summary>Starts <paramref name="silos"/> in-process silos running the group (with no grains or services of the
    /// application's beyond what Orleans finds in the test's assemblies) and waits for its leader. To configure the
    /// silos further, use <see cref="RaftTestClusterBuilderExtensions.AddOrleansRaft"/> on a builder of your own.</summary>
    public static Task<RaftTestCluster> StartAsync(int silos = 3, Action<RaftTestOptions>? configure = null)
    {
        if (silos < 1 || silos > short.MaxValue) throw new ArgumentOutOfRangeException(nameof(silos), silos, "a test cluster needs at least one silo");
        return new InProcessTestClusterBuilder((short)silos).AddOrleansRaft(configure).DeployAsync();
    }

    /// <summary>The TestingHost cluster itself, for everything the kit does not wrap.</summary>
    public InProcessTestCluster Cluster { get; }

    /// <summary>The cluster's client: get the application's grains from it as in any TestingHost test.</summary>
    public IClusterClient Client => Cluster.Client;

    /// <summary>The options the cluster was set up with.</summary>
    public RaftTestOptions Options => _setup.Options;

    /// <summary>The group's name.</summary>
    public string Group => Options.Group;

    /// <summary>The group's KV facade.</summary>
    public IKvGrain Kv => Client.GetGrain<IKvGrain>(Group);

    /// <summary>The keys of the group's bootstrap peers in index order (<c>"kv/0"</c>, ...): what
    /// <see cref="Network"/> and <see cref="PeerStatus.Peer"/> call them.</summary>
    public IReadOnlyList<string> Peers => PeerKey.AllOf(Group, Options.Peers);

    /// <summary>The network between the peers: partitions, isolation, one-way cuts, loss, duplication and delay.</summary>
    public RaftTestNetwork Network => _setup.Network;

    /// <summary>With <see cref="RaftTestStorage.Memory"/>, the table all peers keep their rows in; else null.</summary>
    public DurableTestStorage? MemoryStorage => _setup.MemoryStorage;

    /// <summary>With <see cref="RaftTestStorage.Sqlite"/>, the data directory of <paramref name="node"/>.</summary>
    /// <exception cref="InvalidOperationException">The cluster uses other storage.</exception>
    public string NodeDataDirectory(string node) => _setup.NodeDataDirectory(node);

    /// <summary>The node name (TestingHost's silo name) of silo number <paramref name="instance"/>; bootstrap peer i
    /// lives on <c>NodeName(i)</c>. A node name is what <c>IKvGrain.AddMember</c> and <c>RemoveMember</c> take.</summary>
    public static string NodeName(int instance) => $"Silo_{instance}";

    /// <summary>Waits until one peer leads and at least <paramref name="minimumPeersAgreeing"/> peers (by default all
    /// bootstrap peers) follow it in its term; returns the leader's status. After killing a silo, ask for fewer.</summary>
    /// <exception cref="RaftTestTimeoutException">No such leader within the deadline; the message shows every peer's last status.</exception>
    public async Task<PeerStatus> WaitForLeaderAsync(int? minimumPeersAgreeing = null)
    {
        var agreeing = minimumPeersAgreeing ?? Options.Peers;
        if (agreeing < 1) throw new ArgumentOutOfRangeException(nameof(minimumPeersAgreeing), agreeing, "at least the leader itself must agree");
        var status = await WaitForAsync(
            () => Kv.Status(),
            status => LeaderOf(status, agreeing) is not null,
            $"a leader of group '{Group}' followed by at least {agreeing} peer(s) in its term",
            DescribeStatus);
        return LeaderOf(status, agreeing)!;
    }

    /// <summary>Waits for a leader as <see cref="WaitForLeaderAsync"/> does and returns the silo that hosts it.</summary>
    public async Task<InProcessSiloHandle> WaitForLeaderSiloAsync(int? minimumPeersAgreeing = null) =>
        SiloOf(await WaitForLeaderAsync(minimumPeersAgreeing));

    /// <summary>Polls <paramref name="probe"/> until it returns non-null, within <paramref name="deadline"/>
    /// (default <see cref="RaftTestOptions.DefaultDeadline"/>); see <see cref="RaftTestWait"/>.</summary>
    public static Task<T> WaitUntilAsync<T>(Func<Task<T?>> probe, string awaited, TimeSpan? deadline = null) where T : class =>
        RaftTestWait.UntilAsync(probe, awaited, deadline ?? RaftTestOptions.DefaultDeadline);

    /// <summary>Polls <paramref name="observe"/> until <paramref name="done"/> holds, within this cluster's deadline; see <see cref="RaftTestWait"/>.</summary>
    public Task<T> WaitForAsync<T>(Func<Task<T>> observe, Func<T, bool> done, string awaited, Func<T, string>? describe = null) =>
        RaftTestWait.UntilAsync(observe, done, awaited, Options.Deadline, describe);

    private static PeerStatus? LeaderOf(PeerStatusList status, int agreeing)
    {
        var peers = status.Peers.Where(p => p is not null).Select(p => p!).ToArray();
        var leaders = peers.Where(p => p.Role == "Leader").ToArray();
        if (leaders.Length != 1) return null;
        var leader = leaders[0];
        return peers.Count(p => p.Term == leader.Term && p.Leader == leader.Peer) >= agreeing ? leader : null;
    }

    private static string DescribeStatus(PeerStatusList status) => string.Join("; ", status.Peers.Select((peer, i) => peer is null
        ? $"{status.Keys?.ElementAtOrDefault(i) ?? $"peer #{i}"} unreachable ({status.Errors.ElementAtOrDefault(i) ?? "no answer"})"
        : $"{peer.Peer} {peer.Role} term {peer.Term} leader {peer.Leader ?? "none"} commit {peer.CommitIndex} on {peer.Node ?? peer.Silo}"));

    /// <summary>Stops every silo (restarted ones included), disposes the TestingHost cluster and deletes the
    /// temporary storage.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopRestartedSilosAsync();
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }
        finally
        {
            _setup.DeleteFiles();
        }
    }
}
