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
    /// <summary>Ticks between two checks of whether a roaming peer should move (about a second at the default tick).</summary>
    private const int PlacementCheckTicks = 40;

    private int _ticksSincePlacementCheck;

    /// <summary>Whether this activation runs away from the peer's node (roaming), and must leave when the node is back.</summary>
    private bool _roaming;

    /// <summary>Throws if this silo is neither the peer's node nor, roaming, the silo the locator gives it now.
    /// Placement never puts a peer elsewhere; a stale directory entry or another placement strategy might.</summary>
    private void CheckPlacement(PeerKey key, RaftGroupOptions options, string node)
    {
        if (string.Equals(localSilo.Name, node, StringComparison.Ordinal)) return;
        _roaming = options.Roaming && locator.HostOf(key.ToString(), out _) is { } host && host.Equals(localSilo.SiloAddress);
        if (_roaming) return;
        var misplaced = new RaftPeerIdentityException(options.Roaming
            ? $"Raft peer {key} lives on node '{node}' and refuses to start on node '{localSilo.Name}', which is not the spare silo it may use while its node is down."
            : $"Raft peer {key} lives on node '{node}' and refuses to start on node '{localSilo.Name}'.");
        LogRefused(misplaced, key.ToString(), node, misplaced.Message);
        throw misplaced;
    }

    /// <summary>A roaming peer away from its node deactivates once the locator names another silo for it; the one there
    /// claims the peer row, so this one could not persist anything more anyway.</summary>
    private bool MovedAway()
    {
        if (!_roaming || ++_ticksSincePlacementCheck < PlacementCheckTicks) return false;
        _ticksSincePlacementCheck = 0;
        if (locator.HostOf(this.GetPrimaryKeyString(), out _) is not { } host || host.Equals(localSilo.SiloAddress)) return false;
        LogMoved(this.GetPrimaryKeyString(), localSilo.Name, host.ToString());
        _fenced = true;
        FailAllPending(PeerOutcome.Unavailable, "peer moving to its node");
        DeactivateOnIdle();
        return true;
    }
}
