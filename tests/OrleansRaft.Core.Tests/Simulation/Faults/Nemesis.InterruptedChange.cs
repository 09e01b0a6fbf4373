using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Simulation.Faults;

/// <summary>
/// The interrupted-change episode: a scheduled membership fault that stages, with random changes, victims and
/// timing, the histories in which two single-server changes can fail to overlap.
/// </summary>
/// <remarks>
/// Ongaro's raft-dev report (2015) needs four events in a row, which independent random faults almost never line up:
/// (1) a leader appends a change and loses touch with the other voters before it leaves, so the change lives only on
/// the leader (and the learners with it); (2) the others elect a new leader, which changes the membership at once;
/// (3) as that new leader starts, the group splits in two halves, the new leader with one, the first leader with the
/// other, so that the new leader's first entries reach only its half; (4) each half may then commit, or elect, under
/// its own configuration. With an even number of voters, halves are exactly where a majority of one change and a
/// majority of the other can be disjoint: a correct leader survives it because it changes nothing before an entry of
/// its term has committed on a majority of the configuration it was elected in, and that majority overlaps the other
/// half. The episode stages (1) to (3) and leaves (4), and the healing, to the schedule.
/// </remarks>
internal sealed partial class Nemesis
{
    /// <summary>The first leader of an episode under way, its term, and until when the episode waits for the next leader.</summary>
    private (SimPeer First, long Term, long Until)? _interrupted;

    /// <summary>The new leader the episode split off, and its term: its own change must not be cut off again (by
    /// <see cref="CutOffAfterChange"/>), or the halves would be gone.</summary>
    private (SimPeer Peer, long Term)? _splitLeader;

    /// <summary>Whether an episode waits for its next leader (one that waited too long is over).</summary>
    private bool InterruptedChangePending
    {
        get
        {
            if (_interrupted is { } episode && cluster.Queue.Now > episode.Until) _interrupted = null;
            return _interrupted is not null;
        }
    }

    /// <summary>Starts an episode at <paramref name="leader"/> if its voters are even in number (with an odd number, any
    /// majorities of configurations one change apart overlap, and the episode would be a plain interrupted change,
    /// which the other faults give anyway). Its change is one of the voters that keeps it a voter, so that it may be
    /// elected again under it.</summary>
    private bool StartInterruptedChange(SimPeer leader, MembershipPlan membership)
    {
        if (InterruptedChangePending || leader.Node is not { Role: RaftRole.Leader } node || node.Configuration.Voters.Count % 2 != 0) return false;
        if (!ChangeMembership(leader, membership, "interrupted-change episode", votersOnly: true, keep: leader.Id).Accepted) return false;
        // Cut off at once (what it sent is lost on the cut links), with fewer voters than it takes to stay a majority
        // and some of the learners: the change cannot commit, and the others can elect a leader without it.
        var configuration = node.Configuration;
        var voters = cluster.Peers.Where(p => p != leader && configuration.IsVoter(p.Id)).OrderBy(_ => cluster.Random.Next()).ToList();
        var buddies = voters.Take(cluster.Random.Next(Math.Max(1, (configuration.Voters.Count - 1) / 2))).Select(p => p.Id).ToList();
        buddies.AddRange(cluster.Peers.Where(p => p != leader && !configuration.IsVoter(p.Id) && cluster.Random.Next(2) == 0).Select(p => p.Id));
        Split(leader.Id, buddies, $"interrupted change: leader {leader.Id} cut off with [{string.Join(",", buddies)}] as it appends its change");
        _interrupted = (leader, node.Term, cluster.Queue.Now + 4 * electionTimeout);
        return true;
    }

    /// <summary>A new leader's first write: if an episode waits for it, it is asked for a change at once (until it
    /// accepts one), and the group splits in two halves as it starts. Returns whether it was the episode's.</summary>
    private bool OnNewLeaderOfInterruptedChange(SimPeer peer, long term, MembershipPlan membership)
    {
        if (!InterruptedChangePending || _interrupted is not { } episode) return false;
        if (peer == episode.First || term <= episode.Term)
        {
            // The first leader is back in charge: the episode is over.
            if (peer == episode.First) _interrupted = null;
            return false;
        }
        _interrupted = null;
        _splitLeader = (peer, term);
        var incarnation = peer.Incarnation;
        cluster.Queue.After(0, () => ChangeOnceAllowed(peer, incarnation, term, membership, attempts: 0, votersOnly: true));
        // The new leader's half: as many of its voters as the first leader's half (one fewer, counting itself) when
        // they are even in number, the first leader always on the other side; the others fall on either side.
        var configuration = peer.Node!.Configuration;
        var voters = cluster.Peers.Where(p => p != peer && p != episode.First && configuration.IsVoter(p.Id))
            .OrderBy(_ => cluster.Random.Next()).ToList();
        var half = Math.Max(0, configuration.Voters.Count / 2 - 1);
        var side = voters.Take(half).Select(p => p.Id).ToList();
        side.AddRange(cluster.Peers.Where(p => p != peer && p != episode.First && !configuration.IsVoter(p.Id) && cluster.Random.Next(2) == 0)
            .Select(p => p.Id));
        Split(peer.Id, side, $"interrupted change: new leader {peer.Id} of term {term} split off with [{string.Join(",", side)}] from {episode.First.Id}'s half");
        return true;
    }

    /// <summary>Heals the network and splits it in two: <paramref name="peer"/> with <paramref name="side"/>, and the rest.</summary>
    private void Split(string peer, IReadOnlyList<string> side, string trace)
    {
        var mine = (IReadOnlyList<string>)[peer, .. side];
        var rest = (IReadOnlyList<string>)[.. cluster.Peers.Select(p => p.Id).Where(id => !mine.Contains(id))];
        cluster.Network.Heal();
        cluster.Network.Partition([mine, rest]);
        cluster.Trace(trace);
    }
}
