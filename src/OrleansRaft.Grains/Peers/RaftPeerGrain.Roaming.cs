using Microsoft.Extensions.Logging;
using OrleansRaft.Grains.Directory;
using OrleansRaft.Grains.Storage;
using OrleansRaft.Hosting;
using OrleansRaft.Peers;

namespace OrleansRaft.Grains.Peers;

/// <summary>Where a peer may run (<see cref="PeerLocator"/>): on its node; with <see cref="RaftGroupOptions.Roaming"/>
/// also on the spare silo the locator gives it while its node is down, which it leaves once the locator names another
/// silo (its node is back).</summary>
internal sealed partial class RaftPeerGrain
{
    /// <summary>How often a roaming activation checks whether it should leave.</summary>
    private static readonly TimeSpan PlacementCheckPeriod = TimeSpan.FromSeconds(1);

    private IGrainTimer? _placementWatch;

    /// <summary>Throws if this silo is neither the peer's node nor, roaming, the silo the locator gives it now.
    /// Placement never puts a peer elsewhere; a stale directory entry or another placement strategy might. A roaming
    /// activation watches from now on for its node's return, refused or not: callers cache its address, and only its
    /// deactivation makes them look the peer up again.</summary>
    private void CheckPlacement(PeerKey key, RaftGroupOptions options, string node)
    {
        if (string.Equals(localSilo.Name, node, StringComparison.Ordinal)) return;
        if (options.Roaming && locator.HostOf(key.ToString(), out _) is { } host && host.Equals(localSilo.SiloAddress))
        {
            _placementWatch = this.RegisterGrainTimer(LeaveIfMovedAsync, new GrainTimerCreationOptions
            {
                DueTime = PlacementCheckPeriod,
                Period = PlacementCheckPeriod,
                Interleave = false,
                KeepAlive = true,
            });
            return;
        }
        var misplaced = new RaftPeerIdentityException(options.Roaming
            ? $"Raft peer {key} lives on node '{node}' and refuses to start on node '{localSilo.Name}', which is not the spare silo it may use while its node is down."
            : $"Raft peer {key} lives on node '{node}' and refuses to start on node '{localSilo.Name}'.");
        LogRefused(misplaced, key.ToString(), node, misplaced.Message);
        throw misplaced;
    }

    /// <summary>Deactivates once the locator names another silo for the peer (its node is back); the activation there
    /// claims the peer row, so this one could not persist anything more anyway.</summary>
    private Task LeaveIfMovedAsync(CancellationToken cancellationToken)
    {
        if (locator.HostOf(this.GetPrimaryKeyString(), out _) is not { } host || host.Equals(localSilo.SiloAddress)) return Task.CompletedTask;
        LogMoved(this.GetPrimaryKeyString(), localSilo.Name, host.ToString());
        _placementWatch?.Dispose();
        _fenced = true;
        FailAllPending(PeerOutcome.Unavailable, "peer moving to its node");
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
