using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using OrleansRaft.Core;
using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Storage;
using Orleans.GrainDirectory;
using OrleansRaft.Grains.Directory;
using OrleansRaft.Grains.Kv;
using OrleansRaft.Grains.Membership;
using OrleansRaft.Grains.Placement;
using OrleansRaft.Grains.Storage;
using OrleansRaft.Hosting;
using OrleansRaft.Hosting.Nodes;
using OrleansRaft.Peers;
using OrleansRaft.Shell;

namespace OrleansRaft.Grains.Peers;

/// <summary>
/// Hosts one <see cref="RaftNode"/>. A non-interleaving timer ticks it; every turn ends by carrying out the
/// node's <see cref="Ready"/> in contract order (persist, send, apply, advance). Client calls interleave: they
/// hand work to the node synchronously and wait for the apply path to complete them.
/// </summary>
[RaftPeerPlacement]
[GrainDirectory(GrainDirectoryName = NodePinnedGrainDirectory.Name)]
internal sealed partial class RaftPeerGrain(
    RaftGroupRegistry groups, IRaftPeerTransport transport, LeaderHintCache hints, IHostApplicationLifetime host,
    ILocalSiloDetails localSilo, PeerLocator locator, GroupConfigurationCache configurations, LocalPeers localPeers, MembershipWakeUps wakeUps, IServiceProvider services, ILogger<RaftPeerGrain> logger)
    : Grain, IRaftPeerGrain
{
    private RaftNode _node = null!;
    private string _group = null!;
    private long _leaderReportedTerm;
    private IRaftStateMachine _stateMachine = null!;
    private PeerStore _store = null!;
    private SnapshotPolicy _snapshotPolicy = null!;
    private IGrainTimer? _timer;
    private CancellationTokenRegistration _onSiloStopping;
    private long _pendingTimeoutMs;
    private RaftRole _role;
    private string? _refusal;
    private long _nextReadContext;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _loop = new ReadyLoop(this);
        var key = PeerKey.Parse(this.GetPrimaryKeyString());
        _group = key.Group;
        if (!groups.TryGet(key.Group, out var options))
            throw new InvalidOperationException($"Raft group '{key.Group}' is not configured on this silo.");
        var nodes = options.PeerNodes;
        var node = options.NodeOf(key)
            ?? throw new InvalidOperationException($"Raft group '{key.Group}' was bootstrapped with {nodes.Count} peers and '{key}' names no node: it is not a peer of the group.");
        CheckPlacement(key, options, node);

        var storage = services.GetRequiredKeyedService<IGrainStorage>(options.StorageProvider);
        _store = new PeerStore(storage, this.GetGrainId(), options);
        _snapshotPolicy = new SnapshotPolicy(options.SnapshotLogBytes, options.SnapshotCatchUpEntries);
        _stateMachine = new KvStateMachine(options.SessionExpiryEntries);
        PersistedState persisted;
        var identity = new PeerIdentity(key.Group, key.Index, node, Guid.NewGuid().ToString("N"), nodes);
        try
        {
            persisted = await _store.OpenAsync(identity, options.Bootstrap);
            if (persisted.Snapshot is { } snapshot) RestoreStateMachine(snapshot);
        }
        catch (RaftStorageCorruptedException e)
        {
            LogCorrupted(e, key.ToString(), e.Row);
            _refusal = e.Message;
            return;
        }
        catch (RaftPeerIdentityException) when (key.IsAdded && _store.IsEmpty)
        {
            // A peer added by a membership change starts with no storage: it waits for Join, which creates it. Until
            // then it refuses like any peer without storage, but quietly: it is expected.
            _joinIdentity = identity;
            _refusal = $"Raft peer {key} on node '{node}' has no storage yet: it was not joined to its group (client member add)";
            return;
        }
        catch (RaftPeerIdentityException e)
        {
            LogRefused(e, key.ToString(), node, e.Message);
            _refusal = e.Message;
            return;
        }

        _node = _loop.Node = new RaftNode(RaftNodeConfig.For(key, options), persisted);
        LogActivated(key.ToString(), persisted.HardState.Term, persisted.Entries.Count, RuntimeIdentity, node, _store.FenceSequence);

        // The facade stops waiting after PeerCallTimeout; a caller still pending long after that is gone.
        _pendingTimeoutMs = (long)(2 * options.PeerCallTimeout.TotalMilliseconds);
        // A stopping silo deactivates its grains only once their pending requests finish: answer them now
        // (on this activation's scheduler), or shutdown would wait for Orleans' response timeout.
        var scheduler = TaskScheduler.Current;
        _onSiloStopping = host.ApplicationStopping.Register(() => Task.Factory.StartNew(
            () => FailAllPending(PeerOutcome.Unavailable, "silo stopping"), CancellationToken.None, TaskCreationOptions.None, scheduler));

        localPeers.Add(_node.Id);
        _tickPeriod = options.TickPeriod;
        _quietTickPeriod = options.QuietTickPeriod;
        _timer = this.RegisterGrainTimer(OnTickAsync, new GrainTimerCreationOptions
        {
            DueTime = options.TickPeriod,
            Period = options.TickPeriod,
            Interleave = false,
            KeepAlive = true,
        });
        _membershipWatch = wakeUps.Subscribe(() => Task.Factory.StartNew(
            WakeOnMembershipChange, CancellationToken.None, TaskCreationOptions.None, scheduler));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _placementWatch?.Dispose();
        if (_refusal is not null) return Task.CompletedTask;
        localPeers.Remove(_node.Id);
        Metrics.Activity.Forget(_node.Id);
        _timer?.Dispose();
        _membershipWatch?.Dispose();
        _onSiloStopping.Dispose();
        FailAllPending(PeerOutcome.Unavailable, $"peer deactivating: {reason.Description}");
        return Task.CompletedTask;
    }

    public Task Deliver(RaftMessage[] messages)
    {
        if (_fenced || _refusal is not null) return Task.CompletedTask;
        foreach (var message in messages)
        {
            Metrics.Received(_group, message);
            _node.Step(message);
        }
        return ProcessReadyAsync();
    }

    public async Task<ProposeResponse> Propose(byte[] command, CancellationToken cancellationToken = default)
    {
        if (_refusal is not null) return new ProposeResponse(PeerOutcome.Unavailable, null, null, 0, _refusal);
        if (_fenced) return new ProposeResponse(PeerOutcome.Unavailable, null, null, 0, "peer is stopping");
        var (result, completion) = _loop.Propose(command, Deadline());
        if (completion is null)
        {
            Metrics.ProposalRejected(_group, result.Reason);
            // While leadership is handed over, a proposal waits for the new leader: no leader to name yet, so the
            // facade backs off and asks again.
            return result.Reason is RejectReason.NotLeader or RejectReason.TransferInProgress
                ? new ProposeResponse(PeerOutcome.NotLeader, null, result.Reason == RejectReason.NotLeader ? result.LeaderHint : null, 0)
                : new ProposeResponse(PeerOutcome.Rejected, null, _node.Leader, 0, RejectionText(result.Reason));
        }
        await ProcessReadyAsync();
        return await AnswerByDeadlineAsync(completion,
            forget: () => { if (_proposals.TryGetValue(result.Index, out var p) && p.Completion == completion) _proposals.Remove(result.Index); },
            late: () => new ProposeResponse(PeerOutcome.Unknown, null, _node.Leader, result.Index, "not committed in time"));
    }

    public async Task<QueryResponse> Query(byte[] query, bool allowStale, CancellationToken cancellationToken = default)
    {
        if (_refusal is not null) return new QueryResponse(PeerOutcome.Unavailable, null, null, 0, _refusal);
        if (_fenced) return new QueryResponse(PeerOutcome.Unavailable, null, null, 0, "peer is stopping");
        if (allowStale) return Answer(query, _node.AppliedIndex);
        var context = ++_nextReadContext;
        var (result, completion) = _loop.ReadIndex(context, query, Deadline());
        if (completion is null) return new QueryResponse(PeerOutcome.NotLeader, null, result.LeaderHint, 0);
        await ProcessReadyAsync();
        return await AnswerByDeadlineAsync(completion,
            forget: () => _queries.Remove(context),
            late: () => new QueryResponse(PeerOutcome.Unavailable, null, _node.Leader, 0, "read not confirmed in time"));
    }

    /// <summary>A peer that refused to start stays activated, refusing: it answers every caller with its reason, drops
    /// peer messages, and logs once. Thrown out of activation instead, it would be activated again by every heartbeat
    /// sent to it, and log each time.</summary>
    public Task<PeerStatus> GetStatus() => _refusal is not null ? Task.FromException<PeerStatus>(new RaftPeerIdentityException(_refusal)) : Task.FromResult(new PeerStatus(
        _node.Id, RuntimeIdentity, _node.Role.ToString(), _node.Term, _node.Leader,
        _node.CommitIndex, _node.AppliedIndex, _node.FirstIndex, _node.LastIndex,
        NodeOf(_node.Id), [.. _node.Configuration.Voters], [.. _node.Configuration.Learners], _node.ConfigurationIndex,
        Members(), _node.LeadTransferee, IsRemoved(), _node.Vote, _timerQuiet));

    private Task OnTickAsync(CancellationToken cancellationToken)
    {
        if (_fenced) return Task.CompletedTask;
        _node.Tick();
        ExpirePending();
        PublishSnapshot();
        return ProcessReadyAsync();
    }

    private long Deadline() => Environment.TickCount64 + _pendingTimeoutMs;

    /// <summary>
    /// Waits for a pending request's answer, but never past its deadline, whatever becomes of this activation. The
    /// tick expires pending requests too, but not while Orleans deactivates the activation on its own initiative (for
    /// example because the silo holding its grain directory entry died): a deactivating activation waits for its
    /// running requests before <see cref="OnDeactivateAsync"/>, and gets no ticks meanwhile once peer messages are
    /// queued ahead of them. Without this bound the requests and the deactivation wait for each other forever, and
    /// every later call to this peer queues behind them.
    /// </summary>
    private async Task<T> AnswerByDeadlineAsync<T>(TaskCompletionSource<T> completion, Action forget, Func<T> late)
    {
        try
        {
            return await completion.Task.WaitAsync(TimeSpan.FromMilliseconds(_pendingTimeoutMs));
        }
        catch (TimeoutException)
        {
            forget();
            return late();
        }
    }

    private static string RejectionText(RejectReason reason) => reason switch
    {
        RejectReason.UncommittedLimitExceeded => $"the group's limit of uncommitted bytes ({nameof(RaftGroupOptions.MaxUncommittedBytes)}) is reached; retry later",
        RejectReason.EntryTooLarge => $"the command exceeds the largest entry the group accepts ({nameof(RaftGroupOptions.MaxValueBytes)} plus key and header)",
        _ => reason.ToString(),
    };
}
