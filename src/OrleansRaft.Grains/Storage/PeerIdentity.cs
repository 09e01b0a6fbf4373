namespace OrleansRaft.Grains.Storage;

/// <summary>Who a peer's storage belongs to, recorded when its group is bootstrapped. A peer refuses to run on storage
/// that names someone else, and refuses to start on no storage at all unless bootstrapping was asked for.</summary>
/// <param name="Incarnation">A fresh id per bootstrap: two copies of "the same" storage made at different bootstraps differ.</param>
/// <param name="Nodes">The group's configuration at bootstrap: the node of every peer, by peer index.</param>
public sealed record PeerIdentity(string Group, int Peer, string Node, string Incarnation, IReadOnlyList<string> Nodes)
{
    public override string ToString() => $"peer {Group}/{Peer} on node '{Node}' (incarnation {Incarnation}, group nodes {Describe(Nodes)})";

    public static string Describe(IReadOnlyList<string> nodes) => $"[{string.Join(", ", nodes)}]";
}

/// <summary>A peer cannot start on this silo: it has no storage in a group that exists, its storage belongs to
/// another peer or node, or this silo's options disagree with the configuration the group was bootstrapped with.
/// The peer stays down; the rest of the group goes on without it.</summary>
[GenerateSerializer, Alias("OrleansRaft.RaftPeerIdentityException")]
public sealed class RaftPeerIdentityException : Exception
{
    public RaftPeerIdentityException(string message) : base(message)
    {
    }
}
