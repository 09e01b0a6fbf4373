using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests;

/// <summary>
/// The one local cluster of the end-to-end collection, on a fresh data directory under the temp folder. It is
/// started when a test first asks for it and kept for the next tests; a test that breaks it (kills a silo)
/// says so, and the next test that asks gets it restarted on the same data. Disposal kills every process and
/// deletes the directory (set ORLEANSRAFT_E2E_KEEP=1 to keep the data and the launcher logs).
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int Silos = 3;

    private MachineLock? _machineLock;
    private ClusterProcess? _cluster;
    private bool _degraded;
    private bool _dataLost;
    private int _starts;
    private Exception? _startFailure;

    public string RootDirectory { get; } = Path.Combine(Path.GetTempPath(), $"orleansraft-e2e-{DateTime.Now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}");

    private int _generation;

    /// <summary>The launcher's <c>--data</c>: node0, node1, node2 and the membership file live in it.</summary>
    public string DataDirectory => Path.Combine(RootDirectory, _generation == 0 ? "data" : Path.Combine($"g{_generation}", "data"));

    public async Task InitializeAsync()
    {
        _machineLock = await MachineLock.AcquireAsync(TimeSpan.FromMinutes(5));
        Directory.CreateDirectory(RootDirectory);
    }

    /// <summary>A running cluster with all its silos: the current one, or a (re)started one on the same data.</summary>
    internal async Task<ClusterProcess> ClusterAsync()
    {
        if (_cluster is { HasExited: true }) await DisposeClusterAsync();
        if (_cluster is not null && (_degraded || _dataLost)) await StopAsync();
        if (_dataLost)
        {
            // A test wiped a node for good: the next cluster is a new group on a new data directory.
            _dataLost = false;
            _generation++;
            _startFailure = null;
        }
        _cluster ??= await StartAsync();
        LocalPorts.EnsureNotShared(Silos);
        return _cluster;
    }

    /// <summary>A test killed a silo: the next test that asks gets a restarted cluster.</summary>
    internal void MarkDegraded() => _degraded = true;

    /// <summary>A test destroyed a node's data: the next test that asks gets a new cluster on a fresh data directory.</summary>
    internal void MarkDataLost() => _dataLost = true;

    /// <summary>Stops the current cluster gracefully (as Ctrl+C does) and forgets it; the next <see cref="ClusterAsync"/> starts it again on the same data.</summary>
    internal async Task<StopResult> StopAsync()
    {
        var cluster = _cluster ?? throw new InvalidOperationException("no cluster is running");
        try
        {
            return await cluster.StopAsync();
        }
        finally
        {
            await DisposeClusterAsync();
        }
    }

    /// <summary>Starts the cluster; once a start failed, later tests fail at once with the same reason instead
    /// of each waiting out the ready deadline again.</summary>
    private async Task<ClusterProcess> StartAsync()
    {
        if (_startFailure is not null)
            throw new InvalidOperationException($"the cluster failed to start for an earlier test: {_startFailure.Message}", _startFailure);
        _starts++;
        _degraded = false;
        var log = Path.Combine(RootDirectory, $"cluster-{_starts}.log");
        try
        {
            return await ClusterProcess.StartAsync(DataDirectory, log, Silos);
        }
        catch (Exception e)
        {
            _startFailure = e;
            throw;
        }
    }

    private async Task DisposeClusterAsync()
    {
        if (_cluster is null) return;
        await _cluster.DisposeAsync();
        _cluster = null;
    }

    public async Task DisposeAsync()
    {
        try
        {
            await DisposeClusterAsync();
            if (Environment.GetEnvironmentVariable("ORLEANSRAFT_E2E_KEEP") != "1" && Directory.Exists(RootDirectory))
                Directory.Delete(RootDirectory, recursive: true);
        }
        finally
        {
            _machineLock?.Dispose();
        }
    }
}
