using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansRaft.Cluster.Tests.Faults;
using OrleansRaft.Grains.Peers;
using OrleansRaft.Hosting;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Cluster.Tests;

/// <summary>An in-process test cluster running one Raft group "kv", with storage that survives killed silos, and
/// the condition waits that cluster tests need (never fixed sleeps). Its membership table lives outside the
/// silos, so any silo (the first included) can be killed and restarted.</summary>
public sealed class RaftTestCluster : IAsyncDisposable
{
    public const string Group = "kv";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly List<InProcessSiloHandle> _revived = [];

    private RaftTestCluster(InProcessTestCluster cluster) => Cluster = cluster;

    public InProcessTestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.Client;

    public IKvGrain Kv => Cluster.Client.GetGrain<IKvGrain>(Group);

    /// <param name="storage">Registers the grain storage of the group on a silo, given the silo's node name; by default
    /// a <see cref="DurableTestStorage"/> that all silos of this cluster share.</param>
    /// <param name="faults">When given, every peer sends through it instead of straight grain calls.</param>
    /// <param name="group">Further settings of the group (snapshot thresholds, say).</param>
    /// <param name="shared">The durable test storage to use when <paramref name="storage"/> is not given.</param>
    /// <param name="defaultMembershipTiming">Keep Orleans' own failure detection timing (a dead silo is declared dead
    /// after 10 s and more) instead of the quick one most tests use: for tests that prove the group does not wait for it.</param>
    public static async Task<RaftTestCluster> StartAsync(int silos = 3, int peers = 3, Action<ISiloBuilder, string>? storage = null, NetworkFaults? faults = null,
        Action<RaftGroupOptions>? group = null, DurableTestStorage? shared = null, bool defaultMembershipTiming = false)
    {
        shared ??= new DurableTestStorage();
        storage ??= (silo, _) => silo.Services.AddKeyedSingleton<IGrainStorage>(RaftGroupOptions.DefaultStorageProvider, shared);
        var builder = new InProcessTestClusterBuilder((short)silos);
        // Every silo a gateway, as in the local cluster: the client must survive the death of any one silo.
        builder.Options.GatewayPerSilo = true;
        builder.ConfigureSilo((options, silo) =>
        {
            storage(silo, options.SiloName);
            if (faults is not null) silo.Services.AddSingleton<IRaftPeerTransport>(faults);
            if (!defaultMembershipTiming) silo.Configure<ClusterMembershipOptions>(options =>
            {
                // Declare killed silos dead quickly, so that their peers are re-placed within the test deadline.
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 1;
            });
            silo.AddRaftGroup(Group, options => options.Configure(settings =>
            {
                // Peer i lives on the node of test silo i (TestingHost names them by instance number).
                settings.OnNodes([.. Enumerable.Range(0, peers).Select(NodeName)]);
                settings.Bootstrap = true;
                group?.Invoke(settings);
            }));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new RaftTestCluster(cluster);
    }

    /// <summary>The node name (silo name) TestingHost gives its silo number <paramref name="instance"/>.</summary>
    public static string NodeName(int instance) => $"Silo_{instance}";

    /// <summary>Starts a killed (or stopped) silo again as the same node: same instance number, so the same name,
    /// ports and storage. (TestingHost's own restart helpers need the silo alive or still listed.)</summary>
    public async Task<InProcessSiloHandle> ReviveAsync(InProcessSiloHandle dead)
    {
        var revived = await Cluster.StartSiloAsync(dead.InstanceNumber, Cluster.Options);
        lock (_revived) _revived.Add(revived);
        return revived;
    }

    /// <summary>Every silo running now, revived ones included.</summary>
    public IReadOnlyList<InProcessSiloHandle> RunningSilos
    {
        get
        {
            lock (_revived) return [.. Cluster.Silos.Where(s => s.IsActive), .. _revived.Where(s => s.IsActive)];
        }
    }

    /// <summary>Waits until every reachable peer agrees on one leader in one term; returns that leader's status.</summary>
    public async Task<PeerStatus> WaitForLeaderAsync(int minimumPeersAgreeing = 3)
    {
        return await WaitUntilAsync(async () =>
        {
            var status = await Kv.Status();
            var peers = status.Peers.Where(p => p is not null).Select(p => p!).ToArray();
            var leaders = peers.Where(p => p.Role == "Leader").ToArray();
            if (leaders.Length != 1) return null;
            var leader = leaders[0];
            var agreeing = peers.Count(p => p.Term == leader.Term && p.Leader == leader.Peer);
            return agreeing >= minimumPeersAgreeing ? leader : null;
        }, "a single leader that the peers agree on");
    }

    /// <summary>Polls <paramref name="probe"/> until it returns non-null, or fails after <see cref="Deadline"/>.</summary>
    public static async Task<T> WaitUntilAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var until = DateTime.UtcNow + Deadline;
        Exception? last = null;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await probe() is { } value) return value;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                last = e;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Gave up after {Deadline.TotalSeconds} s waiting for {what}.", last);
    }

    /// <summary>The silo that hosts the activation <paramref name="peer"/> reported from.</summary>
    public InProcessSiloHandle SiloOf(PeerStatus peer) =>
        RunningSilos.Single(s => peer.Silo.Contains(s.SiloAddress.ToString(), StringComparison.Ordinal));

    /// <summary>Kills <paramref name="silo"/> (wherever it came from) the way a crash would.</summary>
    public async Task KillAsync(InProcessSiloHandle silo)
    {
        bool revived;
        lock (_revived) revived = _revived.Remove(silo);
        if (revived) await silo.StopSiloAsync(stopGracefully: false);
        else await Cluster.KillSiloAsync(silo);
    }

    public async ValueTask DisposeAsync()
    {
        InProcessSiloHandle[] revived;
        lock (_revived) revived = [.. _revived];
        foreach (var silo in revived.Where(s => s.IsActive)) await silo.StopSiloAsync(stopGracefully: true);
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
