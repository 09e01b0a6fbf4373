using Orleans.Concurrency;
using OrleansRaft.Core.Messages;

namespace OrleansRaft.Peers;

/// <summary>
/// One Raft peer of one group, keyed <c>"{group}/{peer}"</c> (see <see cref="PeerKey"/>). Peers talk to each
/// other only through <see cref="Deliver"/>, one way: no peer ever awaits another, because two
/// non-reentrant grains awaiting each other would deadlock until the response timeout.
/// </summary>
[Alias("OrleansRaft.IRaftPeerGrain")]
public interface IRaftPeerGrain : IGrainWithStringKey
{
    /// <summary>Delivers a batch of Raft messages from one peer. Internal to the cluster. Interleaves: messages that
    /// arrive while the peer waits for its storage are stepped at once, and its next write carries all of them.</summary>
    [OneWay, AlwaysInterleave, Alias("Deliver")]
    Task Deliver(RaftMessage[] messages);

    /// <summary>Proposes a state machine command and completes once it is applied (or known not to be).
    /// Interleaves: waiting for commit never holds the peer's turn.</summary>
    [AlwaysInterleave, Alias("Propose")]
    Task<ProposeResponse> Propose(byte[] command, CancellationToken cancellationToken = default);

    /// <summary>Runs a read-only query against the state machine, linearizably (ReadIndex) unless
    /// <paramref name="allowStale"/> is set, in which case it answers from this peer's applied state.</summary>
    [AlwaysInterleave, Alias("Query")]
    Task<QueryResponse> Query(byte[] query, bool allowStale, CancellationToken cancellationToken = default);

    /// <summary>Where this peer stands: role, term, leader, indexes, configuration (and, on the leader, every member's progress).</summary>
    [AlwaysInterleave, Alias("GetStatus")]
    Task<PeerStatus> GetStatus();

    /// <summary>Leader only: proposes one membership change, if this peer still leads <paramref name="expectedTerm"/>
    /// (the term in which the caller allocated the peer id), and completes once it is committed. Internal.</summary>
    [AlwaysInterleave, Alias("ChangeMembership")]
    Task<MembershipChangeResponse> ChangeMembership(MembershipChangeKind kind, string peer, long expectedTerm, CancellationToken cancellationToken = default);

    /// <summary>Leader only: hands leadership to the voter <paramref name="target"/>; completes once this peer knows it
    /// no longer leads (Ok, with the new leader as hint) or the transfer aborted. Internal.</summary>
    [AlwaysInterleave, Alias("TransferLeadership")]
    Task<MembershipChangeResponse> TransferLeadership(string target, CancellationToken cancellationToken = default);

    /// <summary>A peer added by a membership change, before the change is proposed: creates its empty storage if it has
    /// none (a bootstrap peer never may). Ok if its storage exists. Internal.</summary>
    [AlwaysInterleave, Alias("Join")]
    Task<MembershipChangeResponse> Join(CancellationToken cancellationToken = default);

    /// <summary>Called once this peer's removal (at <paramref name="removalIndex"/>) has committed: the peer stops and
    /// deletes its log and snapshot, keeping a tombstone that refuses any later start. Internal.</summary>
    [AlwaysInterleave, Alias("Retire")]
    Task<MembershipChangeResponse> Retire(long removalIndex, CancellationToken cancellationToken = default);
}

/// <summary>A single-server membership change, on the wire.</summary>
[GenerateSerializer, Alias("OrleansRaft.MembershipChangeKind")]
public enum MembershipChangeKind : byte
{
    AddLearner = 0,
    Promote = 1,
    Remove = 2,
}

/// <summary>How a membership call ended at one peer. <see cref="Refusal"/> says why when <see cref="Outcome"/> is
/// <see cref="PeerOutcome.Rejected"/>.</summary>
[GenerateSerializer, Immutable, Alias("OrleansRaft.MembershipChangeResponse")]
public sealed record MembershipChangeResponse(
    [property: Id(0)] PeerOutcome Outcome,
    [property: Id(1)] Membership.MembershipOutcome Refusal = Membership.MembershipOutcome.Ok,
    [property: Id(2)] string? LeaderHint = null,
    [property: Id(3)] long Index = 0,
    [property: Id(4)] string? Error = null);
