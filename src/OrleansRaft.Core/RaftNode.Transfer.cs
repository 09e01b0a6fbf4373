using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core;

/// <summary>
/// Leadership transfer (thesis §3.10): the leader stops taking proposals, brings the target's log up to its own, then
/// sends it <see cref="TimeoutNow"/>; the target campaigns at once, skipping PreVote, and voters grant it despite the
/// CheckQuorum lease. If the target has not won within an election timeout, the transfer aborts and the leader takes
/// proposals again.
/// </summary>
public sealed partial class RaftNode
{
    private string? _leadTransferee;
    private int _transferElapsed;

    /// <summary>The voter this leader is handing leadership to, or null.</summary>
    public string? LeadTransferee => _leadTransferee;

    /// <summary>Starts handing leadership to <paramref name="target"/> (a voter). A transfer to this leader itself
    /// succeeds at once with nothing to do; a second transfer replaces the first.</summary>
    public ProposeResult TransferLeadership(string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        WakeForRequest();
        if (Role != RaftRole.Leader) return ProposeResult.Rejected(RejectReason.NotLeader, Leader);
        if (target == Id) return ProposeResult.Ok(0, Term);
        var configuration = Configuration;
        if (!configuration.IsVoter(target))
            return ProposeResult.Rejected(RejectReason.InvalidTransferTarget, Id, configuration.IsLearner(target)
                ? $"{target} is a learner: promote it first"
                : $"{target} is not a member of the group");
        _leadTransferee = target;
        _transferElapsed = 0;
        var progress = _progress[target];
        if (progress.Match == _log.LastIndex) SendTimeoutNow(target);
        else SendAppend(target, progress);
        return ProposeResult.Ok(0, Term);
    }

    private void SendTimeoutNow(string peer) => Send(new TimeoutNow(Id, peer, Term));
}
