using Orleans.TestingHost;
using OrleansRaft.Peers;

namespace OrleansRaft.TestingHost;

/// <summary>Silo faults: find, kill, stop and restart silos. TestingHost keeps the silos it started in
/// <see cref="InProcessTestCluster.Silos"/>, but a silo started again under an old instance number is not listed there,
/// so the kit keeps those itself and every operation here takes a silo from either.</summary>
public sealed partial class RaftTestCluster
{
    private readonly List<InProcessSiloHandle> _restarted = [];

    /// <summary>Every silo running now, restarted ones included.</summary>
    public IReadOnlyList<InProcessSiloHandle> RunningSilos
    {
        get
        {
            lock (_restarted) return [.. Cluster.Silos.Where(s => s.IsActive), .. _restarted.Where(s => s.IsActive)];
        }
    }

    /// <summary>The running silo that hosts the activation <paramref name="peer"/> reported its status from.</summary>
    /// <exception cref="InvalidOperationException">No running silo is that one (it died since the status was taken).</exception>
    public InProcessSiloHandle SiloOf(PeerStatus peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var running = RunningSilos;
        return running.SingleOrDefault(s => peer.Silo.Contains(s.SiloAddress.ToString(), StringComparison.Ordinal))
            ?? throw new InvalidOperationException(
                $"peer {peer.Peer} reported from silo {peer.Silo}, which is not running; running: {string.Join(", ", running.Select(s => $"{s.Name} ({s.SiloAddress})"))}");
    }

    /// <summary>The running silo of node <paramref name="node"/> (see <see cref="NodeName"/>).</summary>
    /// <exception cref="InvalidOperationException">No silo of that node is running.</exception>
    public InProcessSiloHandle SiloOfNode(string node)
    {
        var running = RunningSilos;
        return running.SingleOrDefault(s => s.Name == node)
            ?? throw new InvalidOperationException($"no silo of node '{node}' is running; running: {string.Join(", ", running.Select(s => s.Name))}");
    }

    /// <summary>Kills <paramref name="silo"/> the way a crash would: no leadership handoff, no goodbye to the others.
    /// Its peers' storage stays, as a disk would.</summary>
    public Task KillAsync(InProcessSiloHandle silo) => StopAsync(silo, gracefully: false, "kill");

    /// <summary>Stops <paramref name="silo"/> gracefully: it hands off the leadership of its groups first, as a
    /// silo stopped by its host does.</summary>
    public Task StopAsync(InProcessSiloHandle silo) => StopAsync(silo, gracefully: true, "stop");

    /// <summary>Starts <paramref name="silo"/> again as the same node (same instance number, so the same name, ports
    /// and storage), after stopping it gracefully if it still runs; waits until it has joined. Its peers then load
    /// their storage and catch up from the leader. Returns the new handle: use it, not the old one, from then on.</summary>
    public async Task<InProcessSiloHandle> RestartAsync(InProcessSiloHandle silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (silo.IsActive) await StopAsync(silo);
        var restarted = await WithinDeadlineAsync(() => Cluster.StartSiloAsync(silo.InstanceNumber, Cluster.Options), $"silo {silo.Name} to restart");
        lock (_restarted) _restarted.Add(restarted);
        return restarted;
    }

    /// <summary>Kills the silo that hosts the group's leader, once there is one that every peer follows; returns the
    /// leader's last status and the killed silo (to restart later).</summary>
    public async Task<(PeerStatus Leader, InProcessSiloHandle Silo)> KillLeaderSiloAsync()
    {
        var leader = await WaitForLeaderAsync();
        var silo = SiloOf(leader);
        await KillAsync(silo);
        return (leader, silo);
    }

    private async Task StopAsync(InProcessSiloHandle silo, bool gracefully, string verb)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (!silo.IsActive) throw new InvalidOperationException($"cannot {verb} silo {silo.Name}: it is not running");
        bool restarted;
        lock (_restarted) restarted = _restarted.Remove(silo);
        var stopping = restarted ? silo.StopSiloAsync(stopGracefully: gracefully)
            : gracefully ? Cluster.StopSiloAsync(silo) : Cluster.KillSiloAsync(silo);
        await WithinDeadlineAsync(async () => { await stopping; return true; }, $"silo {silo.Name} to {verb}");
    }

    private async Task StopRestartedSilosAsync()
    {
        InProcessSiloHandle[] restarted;
        lock (_restarted) restarted = [.. _restarted];
        foreach (var silo in restarted.Where(s => s.IsActive)) await silo.StopSiloAsync(stopGracefully: true);
    }

    private async Task<T> WithinDeadlineAsync<T>(Func<Task<T>> operation, string awaited)
    {
        try
        {
            return await operation().WaitAsync(Options.Deadline);
        }
        catch (TimeoutException e) when (e is not RaftTestTimeoutException)
        {
            throw new RaftTestTimeoutException(awaited, Options.Deadline, "it had not finished", e);
        }
    }
}
