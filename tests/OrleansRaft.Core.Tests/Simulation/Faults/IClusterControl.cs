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

    void Trace(string text);
}
