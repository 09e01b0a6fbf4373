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
            // A learner, a peer not yet told it was added, and one that holds its own removal never campaign.
            if (IsVoter) Campaign();
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
        _leadTransferee = null;
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

    /// <param name="leaderTransfer">Campaigning on the leader's <see cref="TimeoutNow"/>: voters grant despite their lease.</param>
    private void BecomeCandidate(bool leaderTransfer = false)
    {
        Term++;
        Vote = Id;
        Role = RaftRole.Candidate;
        Leader = null;
        ResetElectionState();
        RequestVotes(preVote: false, Term, leaderTransfer);
    }

    private void RequestVotes(bool preVote, long term, bool leaderTransfer = false)
    {
        _votes.Clear();
        _votes[Id] = true;
        if (TallyVotes() == VoteResult.Won)
        {
            if (preVote) BecomeCandidate();
            else BecomeLeader();
            return;
        }
        // Planted bug CountLearnerVotes: a candidate that counts learners' votes must also ask its learners for them
        // (a learner answers like any peer). Otherwise no learner's reply ever reaches the tally, and the bug could
        // not be planted at all: a candidate's configuration does not change while it campaigns.
        var asked = _config.Bugs.HasFlag(PlantedBugs.CountLearnerVotes) ? OtherMembers() : OtherVoters();
        foreach (var peer in asked)
            Send(new RequestVote(Id, peer, term, _log.LastIndex, _log.LastTerm, preVote, leaderTransfer));
    }

    /// <summary>Counts the votes of the voters in force; anyone else's answer counts for nothing.</summary>
    private VoteResult TallyVotes()
    {
        var configuration = Configuration;
        var countLearners = _config.Bugs.HasFlag(PlantedBugs.CountLearnerVotes);
        int granted = 0, rejected = 0;
        foreach (var (peer, vote) in _votes)
        {
            if (!configuration.IsVoter(peer) && !(countLearners && configuration.IsLearner(peer))) continue;
            if (vote) granted++;
            else rejected++;
        }
        return Quorum.Tally(configuration.Voters.Count, granted, rejected);
    }

    private void BecomeLeader()
    {
        Role = RaftRole.Leader;
        Leader = Id;
        ResetElectionState();
        _progress.Clear();
        _leadTransferee = null;
        foreach (var peer in OtherMembers()) AddProgress(peer);
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
            // Every election timeout, CheckQuorum or not: membership changes ask who answered lately.
            if (!QuorumActive() && _config.CheckQuorum)
            {
                BecomeFollower(Term, leader: null);
                return;
            }
        }
        if (_leadTransferee is not null && ++_transferElapsed >= _config.ElectionTicks)
            _leadTransferee = null; // the target did not win within an election timeout: abort, take proposals again
        if (_heartbeatElapsed >= _config.HeartbeatTicks)
        {
            _heartbeatElapsed = 0;
            BroadcastHeartbeat();
        }
    }

    /// <summary>Whether a majority (this leader included) was heard from since the last check; resets the marks.</summary>
    private bool QuorumActive()
    {
        var configuration = Configuration;
        var active = configuration.IsVoter(Id) ? 1 : 0;
        foreach (var (peer, progress) in _progress)
        {
            if (progress.RecentActive && configuration.IsVoter(peer)) active++;
            progress.WasActive = progress.RecentActive;
            progress.RecentActive = false;
        }
        return active >= Quorum.Majority(configuration.Voters.Count);
    }
}
