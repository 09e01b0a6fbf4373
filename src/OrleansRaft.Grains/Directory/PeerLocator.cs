using OrleansRaft.Hosting;
using OrleansRaft.Peers;

namespace OrleansRaft.Grains.Directory;

/// <summary>Where a peer lives: the active silo of its node, from the group's configuration and this silo's view of
/// the membership table. Answers from memory, never by asking another silo.</summary>
internal sealed class PeerLocator(RaftGroupRegistry groups, IClusterMembershipService membership)
{
    /// <summary>The active silo named after <paramref name="peer"/>'s node, or null when that node has none (or the key
    /// is not a peer of a configured group). Should two be active under one name, the older wins: a silo restarted at
    /// the same address retires its dead incarnation as it joins, so two at once means a second silo started with a
    /// name already in use, and it will refuse to finish starting (NodeNameGuard).</summary>
    public SiloAddress? HomeOf(string peer, out MembershipVersion version)
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
        if (!groups.TryGet(key.Group, out var options) || key.Index >= options.PeerNodes.Count) return null;
        var node = options.PeerNodes[key.Index];
        SiloAddress? home = null;
        foreach (var member in snapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active && string.Equals(member.Name, node, StringComparison.Ordinal)
                && (home is null || member.SiloAddress.Generation < home.Generation))
                home = member.SiloAddress;
        }
        return home;
    }
}
