using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Simulation.Faults;

/// <summary>
/// The Figure 8 episode: a scheduled fault that stages the paper's Figure 8 with random timing and victims.
/// </summary>
/// <remarks>
/// Figure 8 of the paper needs three histories: a leader whose entries reach only a minority, a later leader
/// whose own entries reach nobody, and the first leader coming back to replicate its old entries and dying
/// before its no-op is safe. Random faults almost never line these up, so the episode stages them, with
/// random timing and random victims: (1) the leader and a minority are cut off while clients keep writing to
/// it, then it crashes; (2) the next leader to be elected loses everything it sends and crashes once its no-op
/// is durable; (3) the first leader returns, and the leader after that (often the first one again) crashes somewhere
/// inside its first write or right after it first commits, and the muted one returns. A correct Raft survives
/// all of it; one that commits old-term entries by counting replicas does not.
/// </remarks>
internal sealed partial class Nemesis
{
    private enum NewLeaderFate
    {
        /// <summary>Cut off from the network at once (its appends are lost), then crash once its write is durable.</summary>
        Mute,

        /// <summary>Crash during its first write and round trips, or right after it first commits.</summary>
        CrashEarly,
    }

    private readonly Queue<NewLeaderFate> _armed = new();
    private SimPeer? _episodeLeader;
    private SimPeer? _mutedLeader;
    private (SimPeer Peer, int Incarnation, long Commit)? _crashOnCommit;

    private void StartFigure8(SimPeer leader)
    {
        _armed.Clear();
        _crashOnCommit = null;
        var others = cluster.Peers.Where(p => p != leader).OrderBy(_ => cluster.Random.Next()).ToList();
        // The leader and its buddies stay a minority: what they write cannot commit.
        var minority = (cluster.Peers.Count - 1) / 2;
        var buddies = others.Take(cluster.Random.Next(minority)).Select(p => p.Id).ToList();
        var cutOff = (IReadOnlyList<string>)[leader.Id, .. buddies];
        var rest = (IReadOnlyList<string>)[.. others.Skip(buddies.Count).Select(p => p.Id)];
        cluster.Network.Heal();
        cluster.Network.Partition([cutOff, rest]);
        cluster.Trace($"figure 8: leader {leader.Id} cut off with [{string.Join(",", buddies)}]");
        var incarnation = leader.Incarnation;
        // Shorter than an election timeout, so that the others do not elect a leader of their own meanwhile.
        cluster.Queue.After((long)((0.1 + 0.7 * cluster.Random.NextDouble()) * electionTimeout), () =>
        {
            if (!Active || !leader.IsUp || leader.Incarnation != incarnation) return;
            // It stays down until the rest have elected (and lost) a leader of their own.
            cluster.Crash(leader, tornWrite: false, loseOutgoing: false, "figure 8: cut-off leader crashes");
            cluster.Network.Heal();
            _episodeLeader = leader;
            _armed.Enqueue(NewLeaderFate.Mute);
            _armed.Enqueue(NewLeaderFate.CrashEarly);
            RestartLater(leader, VirtualTime.Second);
        });
    }

    private void MeetFate(SimPeer peer, NewLeaderFate fate, long duration)
    {
        var incarnation = peer.Incarnation;
        switch (fate)
        {
            case NewLeaderFate.Mute:
                cluster.Network.Detach(peer.Id);
                cluster.Trace($"figure 8: new leader {peer.Id} muted");
                cluster.Queue.After(duration + 1, () =>
                {
                    if (!peer.IsUp || peer.Incarnation != incarnation) return;
                    cluster.Crash(peer, tornWrite: false, loseOutgoing: true, "figure 8: muted leader crashes");
                    // The first leader returns now; the muted one only after the next leader's fate.
                    _mutedLeader = peer;
                    if (_episodeLeader is { } first) RestartLater(first, VirtualTime.Ms(cluster.Random.Next(5, 50)));
                    RestartLater(peer, VirtualTime.Second);
                });
                break;
            case NewLeaderFate.CrashEarly:
                // Either at a random point of its first write and round trips, or as soon as it commits something
                // (the first entries it commits are old ones its followers just caught up on).
                if (cluster.Random.Next(2) == 0)
                {
                    _crashOnCommit = (peer, incarnation, peer.Node!.CommitIndex);
                    cluster.Queue.After(VirtualTime.Ms(200), () => CrashEarly(peer, incarnation));
                }
                else
                {
                    var window = Math.Max(duration, 2 * plan.WorstNetwork.MaxDelay);
                    cluster.Queue.After((long)(cluster.Random.NextDouble() * window), () => CrashEarly(peer, incarnation));
                }
                break;
        }
    }

    /// <summary>Called after every step of a running peer.</summary>
    public void OnChanged(SimPeer peer)
    {
        if (_crashOnCommit is not { } armed || armed.Peer != peer) return;
        if (peer.Incarnation != armed.Incarnation)
        {
            _crashOnCommit = null;
            return;
        }
        if (peer.Node!.CommitIndex > armed.Commit)
        {
            _crashOnCommit = null;
            // Its appends carrying the next entries (its no-op among them) die with it.
            cluster.Queue.After(0, () => CrashEarly(peer, armed.Incarnation, loseOutgoing: true));
        }
    }

    private void CrashEarly(SimPeer peer, int incarnation, bool loseOutgoing = false)
    {
        if (!Active || !peer.IsUp || peer.Incarnation != incarnation) return;
        cluster.Crash(peer, tornWrite: false, loseOutgoing, "figure 8: new leader crashes early");
        RestartLater(peer, VirtualTime.Ms(cluster.Random.Next(5, 50)));
        if (_mutedLeader is { } muted) RestartLater(muted, VirtualTime.Ms(cluster.Random.Next(0, 50)));
        _episodeLeader = _mutedLeader = null;
    }
}
