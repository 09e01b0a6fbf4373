using OrleansRaft.Core;
using OrleansRaft.Core.Membership;
using OrleansRaft.Membership;
using OrleansRaft.Peers;
using OrleansRaft.Shell;

namespace OrleansRaft.Grains.Peers;

/// <summary>Membership changes and leadership transfer at the peer: the leader proposes a change like a command and
/// answers once it is applied; a transfer is answered once this peer no longer leads, or the transfer aborted. The KV
/// facade (<c>MembershipCoordinator</c>) drives the whole operation (allocating the new peer's id, its first start,
/// promotion once caught up, retiring a removed peer).</summary>
internal sealed partial class RaftPeerGrain
{
    private PendingTransfer? _transfer;

    /// <summary>The identity a peer added by a membership change would create on its empty storage (see <see cref="Join"/>).</summary>
    private Storage.PeerIdentity? _joinIdentity;

    /// <summary>This activation has seen itself in its configuration: once it no longer is, it was removed.</summary>
    private bool _wasMember;

    private sealed record PendingTransfer(string Target, long Term, TaskCompletionSource<MembershipChangeResponse> Completion);

    public async Task<MembershipChangeResponse> ChangeMembership(MembershipChangeKind kind, string peer, long expectedTerm, CancellationToken cancellationToken = default)
    {
        if (Unavailable() is { } unavailable) return unavailable;
        if (_node.Role == RaftRole.Leader && _node.Term != expectedTerm)
            return new MembershipChangeResponse(PeerOutcome.Unavailable, MembershipOutcome.Unavailable, _node.Id, 0,
                $"the leader's term moved on ({expectedTerm} -> {_node.Term}) since the change was prepared; prepare it again");
        var change = new ConfigChange(kind switch
        {
            MembershipChangeKind.AddLearner => ConfigChangeType.AddLearner,
            MembershipChangeKind.Promote => ConfigChangeType.Promote,
            _ => ConfigChangeType.Remove,
        }, peer);
        var before = _node.Configuration;
        var result = _node.ProposeConfigChange(change);
        if (!result.Accepted) return Refused(result, change, before);
        var completion = new TaskCompletionSource<ProposeResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _proposals[result.Index] = new PendingProposal(result.Term, Deadline(), completion);
        LogMembershipProposed(_node.Id, change.ToString(), result.Index, _node.Term);
        await ProcessReadyAsync();
        var answer = await AnswerByDeadlineAsync(completion,
            forget: () => { if (_proposals.TryGetValue(result.Index, out var p) && p.Completion == completion) _proposals.Remove(result.Index); },
            late: () => new ProposeResponse(PeerOutcome.Unknown, null, _node?.Leader, result.Index, "not committed in time"));
        return new MembershipChangeResponse(answer.Outcome, answer.Outcome switch
        {
            PeerOutcome.Ok => MembershipOutcome.Ok,
            PeerOutcome.Unknown => MembershipOutcome.Timeout,
            _ => MembershipOutcome.Unavailable,
        }, answer.LeaderHint, answer.Index, answer.Error);
    }

    public async Task<MembershipChangeResponse> TransferLeadership(string target, CancellationToken cancellationToken = default)
    {
        if (Unavailable() is { } unavailable) return unavailable;
        var result = _node.TransferLeadership(target);
        if (!result.Accepted) return Refused(result, null, _node.Configuration, target);
        if (target == _node.Id) return new MembershipChangeResponse(PeerOutcome.Ok, LeaderHint: _node.Id);
        _transfer?.Completion.TrySetResult(new MembershipChangeResponse(PeerOutcome.Rejected, MembershipOutcome.ChangePending, _node.Id, 0, $"replaced by a transfer to {target}"));
        var transfer = _transfer = new PendingTransfer(target, _node.Term, new(TaskCreationOptions.RunContinuationsAsynchronously));
        LogTransferStarted(_node.Id, target, _node.Term);
        await ProcessReadyAsync();
        CheckTransfer();
        try
        {
            return await transfer.Completion.Task.WaitAsync(TimeSpan.FromMilliseconds(_pendingTimeoutMs));
        }
        catch (TimeoutException)
        {
            return new MembershipChangeResponse(PeerOutcome.Unknown, MembershipOutcome.Timeout, _node.Leader, 0, "the transfer did not complete in time");
        }
    }

    public async Task<MembershipChangeResponse> Join(CancellationToken cancellationToken = default)
    {
        if (_joinIdentity is { } identity)
        {
            await _store.CreateJoinedAsync(identity);
            _joinIdentity = null;
            LogJoined(identity.Group + "/" + identity.Peer, identity.Node);
            // Started refused: let the next message activate it afresh, on the storage it has now.
            DeactivateOnIdle();
            return new MembershipChangeResponse(PeerOutcome.Ok);
        }
        if (_refusal is not null) return new MembershipChangeResponse(PeerOutcome.Unavailable, MembershipOutcome.Unavailable, null, 0, _refusal);
        return new MembershipChangeResponse(PeerOutcome.Ok); // it has storage already: the same peer, joining again
    }

    public async Task<MembershipChangeResponse> Retire(long removalIndex, CancellationToken cancellationToken = default)
    {
        if (_refusal is not null)
            return _store.RetiredAt != 0 ? new MembershipChangeResponse(PeerOutcome.Ok) : new MembershipChangeResponse(PeerOutcome.Unavailable, MembershipOutcome.Unavailable, null, 0, _refusal);
        if (_fenced) return new MembershipChangeResponse(PeerOutcome.Unavailable, MembershipOutcome.Unavailable, null, 0, "peer is stopping");
        // Never retire a member: the caller says its removal committed; what this peer holds must not contradict it.
        if (_node.Role == RaftRole.Leader || (_node.Configuration.Contains(_node.Id) && _node.ConfigurationIndex >= removalIndex))
            return new MembershipChangeResponse(PeerOutcome.Rejected, MembershipOutcome.InvalidArgument, _node.Leader, 0,
                $"{_node.Id} is a member of the configuration at index {_node.ConfigurationIndex}; it retires only once removed");
        _fenced = true; // no more Readies, sends or answers from this activation
        FailAllPending(PeerOutcome.Unavailable, "peer removed from its group");
        if (_processing) await (_loopEnded ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        await _store.RetireAsync(removalIndex);
        _refusal = $"Raft peer {_node.Id} was removed from its group (change at index {removalIndex}) and its storage deleted";
        LogRetired(_node.Id, removalIndex);
        DeactivateOnIdle();
        return new MembershipChangeResponse(PeerOutcome.Ok);
    }

    private MembershipChangeResponse? Unavailable() =>
        _refusal is not null ? new MembershipChangeResponse(PeerOutcome.Unavailable, MembershipOutcome.Unavailable, null, 0, _refusal)
        : _fenced ? new MembershipChangeResponse(PeerOutcome.Unavailable, MembershipOutcome.Unavailable, null, 0, "peer is stopping")
        : null;

    /// <summary>A refusal by the core, as the facade's typed outcome. Reasons that pass (no leader, a leader not ready)
    /// are Unavailable or NotLeader: the facade retries those.</summary>
    private static MembershipChangeResponse Refused(ProposeResult result, ConfigChange? change, Configuration configuration, string? target = null)
    {
        var outcome = result.Reason switch
        {
            RejectReason.NotLeader => MembershipOutcome.Unavailable,
            RejectReason.LeaderNotReady => MembershipOutcome.Unavailable,
            RejectReason.TransferInProgress or RejectReason.ConfigChangePending => MembershipOutcome.ChangePending,
            RejectReason.LearnerBehind => MembershipOutcome.LearnerBehind,
            RejectReason.WouldLoseQuorum => MembershipOutcome.WouldLoseQuorum,
            RejectReason.InvalidTransferTarget => target is not null && configuration.IsLearner(target) ? MembershipOutcome.InvalidTarget : MembershipOutcome.NotAMember,
            RejectReason.InvalidConfigChange when change is not null => change.Type switch
            {
                ConfigChangeType.AddLearner => MembershipOutcome.AlreadyMember,
                ConfigChangeType.Promote when configuration.IsVoter(change.Peer) => MembershipOutcome.AlreadyMember,
                ConfigChangeType.Remove when configuration.IsVoter(change.Peer) => MembershipOutcome.LastVoter,
                _ => MembershipOutcome.NotAMember,
            },
            _ => MembershipOutcome.InvalidArgument,
        };
        var peerOutcome = result.Reason == RejectReason.NotLeader ? PeerOutcome.NotLeader : PeerOutcome.Rejected;
        return new MembershipChangeResponse(peerOutcome, outcome, result.LeaderHint, 0, result.Detail ?? result.Reason.ToString());
    }

    /// <summary>After every Ready: a pending transfer ends once this peer no longer leads (done), or still leads with
    /// no transfer under way in the core (aborted after an election timeout, or the term moved on).</summary>
    private void CheckTransfer()
    {
        if (_transfer is not { } transfer) return;
        if (_node.Role != RaftRole.Leader || _node.Term != transfer.Term)
        {
            _transfer = null;
            transfer.Completion.TrySetResult(new MembershipChangeResponse(PeerOutcome.Ok, LeaderHint: _node.Leader ?? transfer.Target));
        }
        else if (_node.LeadTransferee is null)
        {
            _transfer = null;
            transfer.Completion.TrySetResult(new MembershipChangeResponse(PeerOutcome.Rejected, MembershipOutcome.Timeout, _node.Id, 0,
                $"{transfer.Target} did not take over within an election timeout; {_node.Id} still leads"));
        }
    }

    private long _publishedConfigIndex = -1;

    /// <summary>Tells this silo's facades about a configuration this peer has not reported yet, and logs it once.</summary>
    private void PublishConfiguration()
    {
        if (_node.ConfigurationIndex == _publishedConfigIndex) return;
        _publishedConfigIndex = _node.ConfigurationIndex;
        var configuration = _node.Configuration;
        configurations.Observe(_group, _node.ConfigurationIndex, configuration.Voters, configuration.Learners);
        if (_node.ConfigurationIndex > 0) LogConfiguration(_group, _node.ConfigurationIndex, configuration.ToString());
    }

    /// <summary>The leader's view of every member, for <c>status</c> and <c>member list</c>.</summary>
    private MemberInfo[] Members()
    {
        if (_node.Role != RaftRole.Leader) return [];
        var configuration = _node.Configuration;
        var members = new List<MemberInfo>();
        if (configuration.Contains(_node.Id))
            members.Add(new MemberInfo(_node.Id, NodeOf(_node.Id), configuration.IsVoter(_node.Id) ? MemberRole.Voter : MemberRole.Learner, true, _node.LastIndex, 0, true, _node.LastIndex + 1));
        foreach (var follower in _node.Followers)
            members.Add(new MemberInfo(follower.Peer, NodeOf(follower.Peer), follower.IsLearner ? MemberRole.Learner : MemberRole.Voter, false,
                follower.Match, Math.Max(0, _node.LastIndex - follower.Match), follower.Responsive, follower.Next));
        return [.. members.OrderBy(m => m.Peer, StringComparer.Ordinal)];
    }

    private string NodeOf(string peer) =>
        PeerKey.TryParse(peer, out var key) && groups.TryGet(key.Group, out var options) ? options.NodeOf(key) ?? "?" : "?";

    /// <summary>Whether this peer knows it was removed: it holds a configuration without itself, after one with itself
    /// (a bootstrap peer starts in its configuration; an added one, until it learns of its addition, is in none).</summary>
    private bool IsRemoved()
    {
        var member = _node.Configuration.Contains(_node.Id);
        _wasMember |= member || !PeerKey.Parse(_node.Id).IsAdded;
        return _wasMember && !member;
    }
}
