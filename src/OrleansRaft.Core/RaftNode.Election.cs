using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tracking;

namespace OrleansRaft.Core;

public sealed partial class RaftNode
{
    private void TickElection()
    {
        _electionElapsed++;
        if (_electionElapsed >= _randomizedElectionTimeout)
        {
            _electionElapsed = 0;
            Campaign();
        }
    }

    private void Campaign()
    {
        if (_config.PreVote) BecomePreCandidate();
        else BecomeCandidate();
    }

    private void BecomeFollower(long term, string? leader)
    {
        if (term > Term)
        {
            Term = term;
            Vote = null;
        }
        if (Role == RaftRole.Leader) AbortAllReads();
        Role = RaftRole.Follower;
        Leader = leader;
        ResetElectionState();
    }

    /// <summary>Asks for votes for Term + 1 without adopting it, so that a node that cannot win
    /// (partitioned, or with a stale log) never disturbs the group's term (thesis §9.6).</summary>
    private void BecomePreCandidate()
    {
        Role = RaftRole.PreCandidate;
        Leader = null;
        ResetElectionState();
        RequestVotes(preVote: true, Term + 1);
    }

    private void BecomeCandidate()
    {
        Term++;
        Vote = Id;
        Role = RaftRole.Candidate;
        Leader = null;
        ResetElectionState();
        RequestVotes(preVote: false, Term);
    }

    private void RequestVotes(bool preVote, long term)
    {
        _votes.Clear();
        _votes[Id] = true;
        if (Quorum.Tally(_config.Peers.Count, 1, 0) == VoteResult.Won)
        {
            if (preVote) BecomeCandidate();
            else BecomeLeader();
            return;
        }
        foreach (var peer in OtherPeers())
            Send(new RequestVote(Id, peer, term, _log.LastIndex, _log.LastTerm, preVote));
    }

    private void BecomeLeader()
    {
        Role = RaftRole.Leader;
        Leader = Id;
        ResetElectionState();
        _progress.Clear();
        foreach (var peer in OtherPeers())
            _progress[peer] = new Progress(_log.LastIndex + 1, _config.MaxInflightMessages) { RecentActive = true };
        _uncommittedBytes = 0;
        ResetReads();
        // §8: a leader commits an entry of its own term before it can know what is committed.
        AppendAsLeader(Entry.NoOp(_log.LastIndex + 1, Term));
    }

    private void ResetElectionState()
    {
        _electionElapsed = 0;
        _heartbeatElapsed = 0;
        ResetRandomizedElectionTimeout();
    }

    private void TickLeader()
    {
        _heartbeatElapsed++;
        _electionElapsed++;
        if (_electionElapsed >= _config.ElectionTicks)
        {
            _electionElapsed = 0;
            if (_config.CheckQuorum && !QuorumActive())
            {
                BecomeFollower(Term, leader: null);
                return;
            }
        }
        if (_heartbeatElapsed >= _config.HeartbeatTicks)
        {
            _heartbeatElapsed = 0;
            BroadcastHeartbeat();
        }
    }

    /// <summary>Whether a majority (this leader included) was heard from since the last check; resets the marks.</summary>
    private bool QuorumActive()
    {
        var active = 1;
        foreach (var progress in _progress.Values)
        {
            if (progress.RecentActive) active++;
            progress.RecentActive = false;
        }
        return active >= Quorum.Majority(_config.Peers.Count);
    }
}
