using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Network;
using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Simulation.Faults;

/// <summary>What the nemesis may do to a simulated cluster.</summary>
internal interface IClusterControl
{
    EventQueue Queue { get; }

    Random Random { get; }

    SimNetwork Network { get; }

    /// <summary>Every peer not shut down for good: the group's first peers, those added since, and removed ones still
    /// running.</summary>
    IReadOnlyList<SimPeer> Peers { get; }

    /// <summary>The running peer that leads the highest term, if any.</summary>
    SimPeer? Leader { get; }

    /// <summary>Crashes <paramref name="peer"/>. With <paramref name="loseOutgoing"/>, its messages still on the
    /// wire are lost too (it is off the network until it restarts), as when a machine loses power.</summary>
    void Crash(SimPeer peer, bool tornWrite, bool loseOutgoing, string why);

    void Restart(SimPeer peer);

    /// <summary>Starts a second activation of <paramref name="peer"/> over the same store: it loads after
    /// <paramref name="loadAfter"/> and becomes the current one; the older one is retired <paramref name="retireAfter"/>
    /// later if no fence ended it first. Until the next heal the older one's silo is cut off from
    /// <paramref name="olderCutOffFrom"/>, the newer one's from <paramref name="newerCutOffFrom"/>.</summary>
    void StartDuplicate(SimPeer peer, long loadAfter, long retireAfter, IReadOnlySet<string> olderCutOffFrom, IReadOnlySet<string> newerCutOffFrom);

    /// <summary>Retires every activation of <paramref name="peer"/> but the current one.</summary>
    void RetireDuplicates(SimPeer peer);

    /// <summary>The id the next added peer gets: never one any peer had before.</summary>
    string NextPeerId { get; }

    /// <summary>An operator's membership change, landing on the peer's current activation (refused as not leader
    /// if it is paused or down). An accepted <see cref="ConfigChangeType.AddLearner"/> starts the new peer, with empty
    /// storage and the group's bootstrap peer list.</summary>
    ProposeResult ProposeConfigChange(SimPeer peer, ConfigChange change, string why);

    /// <summary>An operator's leadership transfer, landing on the peer's current activation.</summary>
    ProposeResult TransferLeadership(SimPeer peer, string target, string why);

    /// <summary>Shuts down, for good, every peer whose removal has committed and that is still running.</summary>
    void DecommissionRemoved();

    void Trace(string text);
}
