using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tracking;

namespace OrleansRaft.Core;

public sealed partial class RaftNode
{
    /// <summary>Delivers a message from a peer. Messages for another node are ignored. Messages from peers outside the
    /// configuration are not: a peer just added learns that it was from the leader's messages, and the leader may
    /// itself be a peer added after this one's configuration was last written. Only the configuration's voters count.</summary>
    public void Step(RaftMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.To != Id || message.From == Id) return;
        if (WakesOnStep(message)) Wake();

        // Terms first (Figure 2, "Rules for Servers"), then dispatch by role.
        if (message.Term > Term)
        {
            if (message is RequestVote { LeaderTransfer: false } && InLease()) return;
            var keepTerm = message is RequestVote { PreVote: true } or RequestVoteReply { PreVote: true, Granted: true };
            if (!keepTerm) BecomeFollower(message.Term, IsFromLeader(message) ? message.From : null);
        }
        else if (message.Term < Term)
        {
            RespondToStaleTerm(message);
            return;
        }

        if (message is RequestVote request)
        {
            HandleRequestVote(request);
            return;
        }

        switch (Role)
        {
            case RaftRole.Leader:
                StepLeader(message);
                break;
            case RaftRole.Candidate:
            case RaftRole.PreCandidate:
                StepCandidate(message);
                break;
            default:
                StepFollower(message);
                break;
        }
    }

    /// <summary>With CheckQuorum, a node that heard from a live leader within the minimum election timeout
    /// ignores vote requests, so a rejoining node cannot depose a healthy leader (thesis §4.2.3).</summary>
    private bool InLease() =>
        _config.CheckQuorum && Leader is not null && _electionElapsed < _config.ElectionTicks;

    private void RespondToStaleTerm(RaftMessage message)
    {
        switch (message)
        {
            // Tell a deposed leader about the newer term, or it would never step down when CheckQuorum
            // or PreVote keep this node from campaigning at a higher term.
            case AppendEntries or Heartbeat or InstallSnapshot when _config.CheckQuorum || _config.PreVote:
                Send(new AppendEntriesReply(Id, message.From, Term, false, 0, 0, 0));
                break;
            case RequestVote { PreVote: true }:
                Send(new RequestVoteReply(Id, message.From, Term, false, PreVote: true));
                break;
        }
    }

    private void HandleRequestVote(RequestVote request)
    {
        // §5.2: at most one vote per term; a pre-vote for a future term binds nothing.
        var canVote = Vote == request.From
            || (Vote is null && Leader is null)
            || (request.PreVote && request.Term > Term);
        var upToDate = _config.Bugs.HasFlag(PlantedBugs.VoteWithoutUpToDateCheck)
            || _log.IsUpToDate(request.LastLogIndex, request.LastLogTerm);
        if (canVote && upToDate)
        {
            Send(new RequestVoteReply(Id, request.From, request.Term, true, request.PreVote));
            if (!request.PreVote)
            {
                _electionElapsed = 0;
                Vote = request.From;
            }
        }
        else
        {
            Send(new RequestVoteReply(Id, request.From, Term, false, request.PreVote));
        }
    }

    private void StepFollower(RaftMessage message)
    {
        switch (message)
        {
            case AppendEntries append:
                _electionElapsed = 0;
                Leader = append.From;
                HandleAppendEntries(append);
                break;
            case InstallSnapshot install:
                _electionElapsed = 0;
                Leader = install.From;
                HandleInstallSnapshot(install);
                break;
            case Heartbeat heartbeat:
                _electionElapsed = 0;
                Leader = heartbeat.From;
                _log.CommitTo(Math.Min(heartbeat.Commit, _log.LastIndex));
                if (!(heartbeat.Quiesce && QuiesceOn(heartbeat)))
                    Send(new HeartbeatReply(Id, heartbeat.From, Term, heartbeat.ReadRound, heartbeat.Quiesce));
                break;
            case TimeoutNow when IsVoter:
                // The leader handed over: campaign at once, without PreVote (thesis §3.10).
                BecomeCandidate(leaderTransfer: true);
                break;
        }
    }

    private void StepCandidate(RaftMessage message)
    {
        switch (message)
        {
            case AppendEntries or Heartbeat or InstallSnapshot:
                // A leader exists in this term (§5.2): step down and handle it as a follower.
                BecomeFollower(Term, message.From);
                StepFollower(message);
                break;
            case RequestVoteReply reply when reply.PreVote == (Role == RaftRole.PreCandidate):
                _votes[reply.From] = reply.Granted;
                switch (TallyVotes())
                {
                    case VoteResult.Won when Role == RaftRole.PreCandidate:
                        BecomeCandidate();
                        break;
                    case VoteResult.Won:
                        BecomeLeader();
                        break;
                    case VoteResult.Lost:
                        BecomeFollower(Term, leader: null);
                        break;
                }
                break;
        }
    }

    private void HandleAppendEntries(AppendEntries append)
    {
        if (append.PrevLogIndex < _log.Committed)
        {
            // Everything up to our commit index already matches the leader's log (Leader Completeness).
            Send(new AppendEntriesReply(Id, append.From, Term, true, _log.Committed, 0, 0));
            return;
        }
        if (_log.MatchTerm(append.PrevLogIndex, append.PrevLogTerm))
        {
            var lastNew = _log.AppendAfter(append.PrevLogIndex, append.Entries,
                _config.Bugs.HasFlag(PlantedBugs.KeepConflictingSuffix));
            _log.CommitTo(Math.Min(append.LeaderCommit, lastNew));
            Send(new AppendEntriesReply(Id, append.From, Term, true, lastNew, 0, 0));
            return;
        }

        // Rejection with a hint that lets the leader skip a whole term, or straight to our log's end.
        long conflictTerm = 0, conflictIndex = _log.LastIndex + 1;
        if (append.PrevLogIndex <= _log.LastIndex)
        {
            conflictTerm = _log.TermAt(append.PrevLogIndex);
            conflictIndex = _log.FirstIndexOfTermAt(append.PrevLogIndex);
        }
        Send(new AppendEntriesReply(Id, append.From, Term, false, append.PrevLogIndex, conflictTerm, conflictIndex));
    }
}
