using Orleans.TestingHost;

namespace OrleansRaft.TestingHost;

/// <summary>What <see cref="RaftTestClusterBuilderExtensions.AddOrleansRaft"/> prepared for one test cluster: its
/// options, its network and its storage. Deploy it once, when the builder is fully configured.</summary>
public sealed class RaftTestSetup
{
    private readonly InProcessTestClusterBuilder _builder;
    private int _deployed;

    internal RaftTestSetup(InProcessTestClusterBuilder builder, RaftTestOptions options)
    {
        _builder = builder;
        Options = options;
        Network = new RaftTestNetwork(options.NetworkSeed);
        if (options.ConfigureStorage is null && options.Storage == RaftTestStorage.Memory) MemoryStorage = new DurableTestStorage();
        if (options.ConfigureStorage is null && options.Storage == RaftTestStorage.Sqlite)
            DataDirectory = Path.Combine(Path.GetTempPath(), $"orleansraft-test-{Guid.NewGuid():N}");
    }

    /// <summary>The options the cluster was set up with.</summary>
    public RaftTestOptions Options { get; }

    /// <summary>The network between the peers (see <see cref="RaftTestCluster.Network"/>).</summary>
    public RaftTestNetwork Network { get; }

    /// <summary>The table every silo's peers keep their rows in, with <see cref="RaftTestStorage.Memory"/>; else null.</summary>
    public DurableTestStorage? MemoryStorage { get; }

    /// <summary>The temporary directory that holds one data directory per node, with <see cref="RaftTestStorage.Sqlite"/>
    /// (deleted when the cluster is disposed); else null.</summary>
    public string? DataDirectory { get; }

    /// <summary>The data directory of <paramref name="node"/> under <see cref="DataDirectory"/>.</summary>
    /// <exception cref="InvalidOperationException">The cluster does not use <see cref="RaftTestStorage.Sqlite"/>.</exception>
    public string NodeDataDirectory(string node) =>
        Path.Combine(DataDirectory ?? throw new InvalidOperationException(
            $"only a cluster with {nameof(RaftTestOptions.Storage)} = {nameof(RaftTestStorage.Sqlite)} has node data directories"), node);

    /// <summary>Builds and deploys the cluster, and waits (within the deadline) until its group has a leader that
    /// every peer follows, so a test starts on a settled group.</summary>
    /// <exception cref="InvalidOperationException">Deployed twice.</exception>
    /// <exception cref="RaftTestTimeoutException">The group elected no leader within the deadline.</exception>
    public async Task<RaftTestCluster> DeployAsync()
    {
        if (Interlocked.Exchange(ref _deployed, 1) != 0)
            throw new InvalidOperationException("this setup was deployed already: build a new InProcessTestClusterBuilder for another cluster");
        var cluster = _builder.Build();
        var raft = new RaftTestCluster(cluster, this);
        try
        {
            await cluster.DeployAsync().WaitAsync(Options.Deadline);
            await raft.WaitForLeaderAsync();
            return raft;
        }
        catch (TimeoutException e) when (e is not RaftTestTimeoutException)
        {
            await StopAfterFailedDeployAsync(raft);
            throw new RaftTestTimeoutException("the test cluster to deploy", Options.Deadline, "its silos still starting", e);
        }
        catch
        {
            await StopAfterFailedDeployAsync(raft);
            throw;
        }
    }

    /// <summary>Stops what did start. The deploy's own error is the one the test must see, so an error of this clean-up
    /// (silos that never finished starting may fail to stop) does not replace it.</summary>
    private static async Task StopAfterFailedDeployAsync(RaftTestCluster raft)
    {
        try
        {
            await raft.DisposeAsync();
        }
        catch (Exception)
        {
        }
    }

    /// <summary>Deletes what the setup created on disk, once every silo has stopped.</summary>
    internal void DeleteFiles()
    {
        if (DataDirectory is null || !Directory.Exists(DataDirectory)) return;
        // Pooled SQLite connections keep the files open; closing the idle ones lets the directory go.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
