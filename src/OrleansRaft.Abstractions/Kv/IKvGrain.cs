using OrleansRaft.Membership;

namespace OrleansRaft.Kv;

/// <summary>
/// The key-value facade of one Raft group (grain key: the group name). It finds the leader, follows
/// redirects and retries within a deadline, so callers see one linearizable store. Writes return once
/// committed and applied; a retried write with the same <see cref="RequestId"/> is applied once.
/// </summary>
[Alias("OrleansRaft.IKvGrain")]
public interface IKvGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<KvResponse> Get(string key, ReadConsistency consistency = ReadConsistency.Linearizable, CancellationToken cancellationToken = default);

    [Alias("Set")]
    Task<KvResponse> Set(string key, string value, RequestId? requestId = null, CancellationToken cancellationToken = default);

    [Alias("Delete")]
    Task<KvResponse> Delete(string key, RequestId? requestId = null, CancellationToken cancellationToken = default);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> only if its current value is
    /// <paramref name="expected"/> (null: only if absent). Answers Swapped or NotSwapped with the current value.</summary>
    [Alias("CompareAndSet")]
    Task<KvResponse> CompareAndSet(string key, string? expected, string value, RequestId? requestId = null, CancellationToken cancellationToken = default);

    /// <summary>Appends <paramref name="value"/> to the current value (absent counts as empty).</summary>
    [Alias("Append")]
    Task<KvResponse> Append(string key, string value, RequestId? requestId = null, CancellationToken cancellationToken = default);

    /// <summary>Every peer's status, in peer order; unreachable peers are reported as such.</summary>
    [Alias("Status")]
    Task<PeerStatusList> Status(CancellationToken cancellationToken = default);

    /// <summary>The configuration in force (voters and learners, their nodes, how far each is behind), from the leader.</summary>
    [Alias("ListMembers")]
    Task<MembershipResponse> ListMembers(CancellationToken cancellationToken = default);

    /// <summary>Adds a member on <paramref name="node"/> (a silo name; that silo must be running). It joins as a learner
    /// and catches up (by snapshot if the log was compacted); unless <paramref name="asLearner"/>, it is then promoted
    /// to voter once caught up. Answers when the change (both changes) committed.</summary>
    [Alias("AddMember")]
    Task<MembershipResponse> AddMember(string node, bool asLearner = false, CancellationToken cancellationToken = default);

    /// <summary>Makes the learner on <paramref name="node"/> a voter; refused (LearnerBehind) while it lags.</summary>
    [Alias("PromoteMember")]
    Task<MembershipResponse> PromoteMember(string node, CancellationToken cancellationToken = default);

    /// <summary>Removes the member on <paramref name="node"/>, the leader's included (it hands over and steps down).
    /// Once the removal committed, the removed peer stops and its storage is deleted.</summary>
    [Alias("RemoveMember")]
    Task<MembershipResponse> RemoveMember(string node, CancellationToken cancellationToken = default);

    /// <summary>Moves leadership to the voter on <paramref name="node"/>, or, when null, to the voter furthest along.
    /// Answers once the new leader is elected, or with Timeout when the transfer aborted (after one election timeout).</summary>
    [Alias("TransferLeadership")]
    Task<MembershipResponse> TransferLeadership(string? node = null, CancellationToken cancellationToken = default);
}
