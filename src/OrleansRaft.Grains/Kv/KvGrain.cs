using Orleans.GrainDirectory;
using OrleansRaft.Grains.Directory;
using Microsoft.Extensions.Hosting;
using Orleans.Concurrency;
using OrleansRaft.Hosting;
using OrleansRaft.Kv;
using OrleansRaft.Membership;
using OrleansRaft.Grains.Membership;
using OrleansRaft.Peers;

namespace OrleansRaft.Grains.Kv;

/// <summary>
/// The KV facade of one group (grain key: group name). Stateless and reentrant, so every silo serves clients
/// locally and concurrently; each call validates, encodes, and lets <see cref="LeaderRouter"/> find the leader.
/// Writes without a caller-supplied <see cref="RequestId"/> get one here, so the facade's own retries are
/// exactly-once; pass one to make your retries exactly-once too.
/// </summary>
[StatelessWorker, Reentrant]
[GrainDirectory(GrainDirectoryName = NodePinnedGrainDirectory.Name)] // nothing to look up: see NodePinnedGrainDirectory
internal sealed class KvGrain(RaftGroupRegistry groups, LeaderHintCache hints, PeerLocator peers, GroupConfigurationCache configurations, IHostApplicationLifetime host) : Grain, IKvGrain
{
    private readonly string _clientId = $"facade-{Guid.NewGuid():N}";
    private readonly SortedSet<long> _unanswered = [];
    private long _sequence;

    public Task<KvResponse> Get(string key, ReadConsistency consistency = ReadConsistency.Linearizable, CancellationToken cancellationToken = default)
    {
        if (!TryGetGroup(out var router, out var error)) return Task.FromResult(error);
        if (KvRequestValidator.CheckKey(key) is { } invalid) return Task.FromResult(invalid);
        return router.QueryAsync(new KvCommand(KvOp.Get, key), consistency == ReadConsistency.Stale);
    }

    public Task<KvResponse> Set(string key, string value, RequestId? requestId = null, CancellationToken cancellationToken = default) =>
        Write(new KvCommand(KvOp.Set, key, value), requestId);

    public Task<KvResponse> Delete(string key, RequestId? requestId = null, CancellationToken cancellationToken = default) =>
        Write(new KvCommand(KvOp.Delete, key), requestId);

    public Task<KvResponse> CompareAndSet(string key, string? expected, string value, RequestId? requestId = null, CancellationToken cancellationToken = default) =>
        Write(new KvCommand(KvOp.CompareAndSet, key, value, expected), requestId);

    public Task<KvResponse> Append(string key, string value, RequestId? requestId = null, CancellationToken cancellationToken = default) =>
        Write(new KvCommand(KvOp.Append, key, value), requestId);

    public Task<PeerStatusList> Status(CancellationToken cancellationToken = default)
    {
        var group = this.GetPrimaryKeyString();
        if (!TryGetGroup(out var router, out var error))
            return Task.FromResult(new PeerStatusList(group, [], [error.Error]));
        return router.StatusAsync();
    }

    public Task<MembershipResponse> ListMembers(CancellationToken cancellationToken = default) =>
        Membership(c => c.ListAsync());

    public Task<MembershipResponse> AddMember(string node, bool asLearner = false, CancellationToken cancellationToken = default) =>
        Membership(c => c.AddAsync(node, asLearner));

    public Task<MembershipResponse> PromoteMember(string node, CancellationToken cancellationToken = default) =>
        Membership(c => c.PromoteAsync(node));

    public Task<MembershipResponse> RemoveMember(string node, CancellationToken cancellationToken = default) =>
        Membership(c => c.RemoveAsync(node));

    public Task<MembershipResponse> TransferLeadership(string? node = null, CancellationToken cancellationToken = default) =>
        Membership(c => c.TransferAsync(node));

    private Task<MembershipResponse> Membership(Func<MembershipCoordinator, Task<MembershipResponse>> request)
    {
        var group = this.GetPrimaryKeyString();
        if (!groups.TryGet(group, out var options))
            return Task.FromResult(new MembershipResponse(MembershipOutcome.UnknownGroup, null, $"no Raft group named '{group}' is configured (known: {string.Join(", ", groups.Names)})"));
        return request(new MembershipCoordinator(group, options, GrainFactory, hints, peers, configurations));
    }

    private Task<KvResponse> Write(KvCommand command, RequestId? requestId)
    {
        if (!TryGetGroup(out var router, out var error)) return Task.FromResult(error);
        var invalid = KvRequestValidator.CheckKey(command.Key)
            ?? (command.Op is KvOp.Delete ? null : KvRequestValidator.CheckValue(command.Value, router.Options))
            ?? (command.Expected is null ? null : KvRequestValidator.CheckValue(command.Expected, router.Options, "expected value"))
            ?? KvRequestValidator.CheckRequestId(requestId);
        if (invalid is not null) return Task.FromResult(invalid);
        return requestId is null ? WriteWithOwnSessionAsync(router, command) : router.ProposeAsync(command with { Session = requestId });
    }

    /// <summary>A write the caller did not identify: this activation is its client (one turn at a time, so no locks).</summary>
    private async Task<KvResponse> WriteWithOwnSessionAsync(LeaderRouter router, KvCommand command)
    {
        var sequence = ++_sequence;
        _unanswered.Add(sequence);
        try
        {
            return await router.ProposeAsync(command with { Session = new RequestId(_clientId, sequence, _unanswered.Min) });
        }
        finally
        {
            _unanswered.Remove(sequence);
        }
    }

    private bool TryGetGroup(out LeaderRouter router, out KvResponse error)
    {
        var group = this.GetPrimaryKeyString();
        if (!groups.TryGet(group, out var options))
        {
            router = null!;
            error = new KvResponse(KvStatus.UnknownGroup, Error: $"no Raft group named '{group}' is configured (known: {string.Join(", ", groups.Names)})");
            return false;
        }
        router = new LeaderRouter(group, options, GrainFactory, hints, peers, configurations, host.ApplicationStopping);
        error = null!;
        return true;
    }
}
