using OrleansRaft.Hosting;
using OrleansRaft.Peers;

namespace OrleansRaft.Grains.Directory;

/// <summary>Where a peer runs: the active silo of its node, from the group's configuration and this silo's view of
/// the membership table; with <see cref="RaftGroupOptions.Roaming"/>, a spare silo while its node has none. Answers
/// from memory, never by asking another silo, so every silo with the same view gives the same answer.</summary>
internal sealed class PeerLocator(RaftGroupRegistry groups, IClusterMembershipService membership)
{
    /// <summary>The silo <paramref name="peer"/> runs on now, or null when it has none (or the key is not a peer of a
    /// configured group). Should two be active under one name, the older wins: a silo restarted at the same address
    /// retires its dead incarnation as it joins, so two at once means a second silo started with a name already in
    /// use, and it will refuse to finish starting (NodeNameGuard).</summary>
    /// <remarks>Roaming: the peers whose nodes are down, by index, take the spare silos, by name, one each; a peer
    /// left without one is down. A view that changes mid-way may briefly put a peer on two silos: the peer row's
    /// fencing lets only the later activation act for it.</remarks>
    public SiloAddress? HostOf(string peer, out MembershipVersion version)
    {
        var snapshot = membership.CurrentSnapshot;
        version = snapshot.Version;
        PeerKey key;
        try
        {
            key = PeerKey.Parse(peer);
        }
        catch (FormatException)
        {
            return null;
        }
        if (!groups.TryGet(key.Group, out var options) || options.NodeOf(key) is not { } node) return null;
        var active = ActiveByName(snapshot);
        // An added peer does not roam: the spares are handed out by bootstrap peer index, which only it lacks.
        if (active.TryGetValue(node, out var home) || !options.Roaming || key.IsAdded) return home;
        var nodes = options.PeerNodes;

        var down = Enumerable.Range(0, nodes.Count).Where(i => !active.ContainsKey(nodes[i])).ToList();
        var spares = active.Where(silo => !nodes.Contains(silo.Key, StringComparer.Ordinal))
            .OrderBy(silo => silo.Key, StringComparer.Ordinal).Select(silo => silo.Value).ToList();
        var place = down.IndexOf(key.Index);
        return place < spares.Count ? spares[place] : null;
    }

    /// <summary>Whether <paramref name="peer"/>'s node is <paramref name="siloName"/>.</summary>
    public bool IsHome(PeerKey peer, string siloName) =>
        groups.TryGet(peer.Group, out var options) && string.Equals(options.NodeOf(peer), siloName, StringComparison.Ordinal);

    /// <summary>The active silo of each name (the oldest incarnation, should there be two).</summary>
    private static Dictionary<string, SiloAddress> ActiveByName(ClusterMembershipSnapshot snapshot)
    {
        var active = new Dictionary<string, SiloAddress>(StringComparer.Ordinal);
        foreach (var member in snapshot.Members.Values)
        {
            if (member.Status != SiloStatus.Active || member.Name is null) continue;
            if (!active.TryGetValue(member.Name, out var known) || member.SiloAddress.Generation < known.Generation)
                active[member.Name] = member.SiloAddress;
        }
        return active;
    }
}
