using OrleansRaft.Kv;
using OrleansRaft.Membership;

namespace OrleansRaft.Client;

/// <summary>
/// One Raft group as a linearizable key-value store. Keys are non-empty strings of at most
/// <see cref="KvLimits.MaxKeyBytes"/> UTF-8 bytes (checked before sending: <see cref="ArgumentException"/>).
/// Failures are <see cref="RaftKvException"/>s; writes are retried through one session, so each applies at most once.
/// <para>It also administers the group: its members (<see cref="ListMembersAsync"/>, <see cref="AddMemberAsync"/>,
/// <see cref="PromoteMemberAsync"/>, <see cref="RemoveMemberAsync"/>) and its leadership
/// (<see cref="TransferLeadershipAsync"/>). Members are named by their node (the silo name). Those calls answer with the
/// group's configuration as its leader sees it, and fail with a <see cref="RaftMembershipException"/> whose code is the
/// group's reason; an empty node name is an <see cref="ArgumentException"/> before anything is sent. Changes go one at a
/// time and are never retried once sent (they carry no request id): a change whose answer was lost fails with
/// <see cref="RaftMembershipException.OutcomeUnknown"/> set.</para>
/// </summary>
public interface IRaftKv
{
    string Group { get; }

    /// <summary>The value of <paramref name="key"/>, or null when it is absent. Linearizable unless
    /// <paramref name="consistency"/> is <see cref="ReadConsistency.Stale"/>, which may miss recent writes.</summary>
    Task<string?> GetAsync(string key, ReadConsistency consistency = ReadConsistency.Linearizable, CancellationToken cancellationToken = default);

    Task SetAsync(string key, string value, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="key"/>; true when it existed.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> only if its current value is
    /// <paramref name="expected"/>; a null <paramref name="expected"/> means "only if absent".</summary>
    Task<CasResult> CompareAndSetAsync(string key, string? expected, string value, CancellationToken cancellationToken = default);

    /// <summary>Appends <paramref name="value"/> to the current value (an absent key counts as empty).</summary>
    Task AppendAsync(string key, string value, CancellationToken cancellationToken = default);

    /// <summary>Every peer's view of the group, in peer order; peers that did not answer have a null entry and an error.</summary>
    Task<PeerStatusList> StatusAsync(CancellationToken cancellationToken = default);

    /// <summary>The configuration in force: every voter and learner with its node, and, as the leader sees it, how far
    /// each is replicated (match, lag) and whether it answers. Retried while the group has no leader, up to the deadline.</summary>
    /// <exception cref="RaftMembershipException">No leader within the deadline (<see cref="MembershipOutcome.Unavailable"/>
    /// or <see cref="MembershipOutcome.Timeout"/>), or an unknown group.</exception>
    Task<GroupMembership> ListMembersAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a member on <paramref name="node"/> (the node name of a running silo). It joins as a learner and
    /// catches up; unless <paramref name="asLearner"/>, the group then promotes it to voter. Answers once the change
    /// (both changes) committed, with the configuration after it.</summary>
    /// <exception cref="ArgumentException"><paramref name="node"/> is empty or white space (nothing was sent).</exception>
    /// <exception cref="RaftMembershipException">Refused (<see cref="MembershipOutcome.AlreadyMember"/>,
    /// <see cref="MembershipOutcome.ChangePending"/>, ...: nothing changed), no leader or no silo for the node until the
    /// deadline (<see cref="MembershipOutcome.Unavailable"/>), or no answer (<see cref="MembershipOutcome.Timeout"/>,
    /// outcome unknown).</exception>
    Task<GroupMembership> AddMemberAsync(string node, bool asLearner = false, CancellationToken cancellationToken = default);

    /// <summary>Makes the learner on <paramref name="node"/> a voter. Refused with <see cref="MembershipOutcome.LearnerBehind"/>
    /// while it lags behind the leader (the message says by how much): retry once it caught up.</summary>
    /// <exception cref="ArgumentException"><paramref name="node"/> is empty or white space (nothing was sent).</exception>
    /// <exception cref="RaftMembershipException">Refused (<see cref="MembershipOutcome.NotAMember"/>,
    /// <see cref="MembershipOutcome.AlreadyMember"/> for a voter, <see cref="MembershipOutcome.LearnerBehind"/>, ...),
    /// unavailable, or no answer (<see cref="MembershipOutcome.Timeout"/>, outcome unknown).</exception>
    Task<GroupMembership> PromoteMemberAsync(string node, CancellationToken cancellationToken = default);

    /// <summary>Removes the member on <paramref name="node"/>, the leader's included (it hands over first). Once the
    /// removal committed, the removed peer stops and its storage is deleted.</summary>
    /// <exception cref="ArgumentException"><paramref name="node"/> is empty or white space (nothing was sent).</exception>
    /// <exception cref="RaftMembershipException">Refused (<see cref="MembershipOutcome.NotAMember"/>,
    /// <see cref="MembershipOutcome.LastVoter"/>, <see cref="MembershipOutcome.WouldLoseQuorum"/>, ...), unavailable,
    /// or no answer (<see cref="MembershipOutcome.Timeout"/>, outcome unknown).</exception>
    Task<GroupMembership> RemoveMemberAsync(string node, CancellationToken cancellationToken = default);

    /// <summary>Moves leadership to the voter on <paramref name="node"/>, or, when it is null, to the voter furthest
    /// along. Answers once the new leader is elected, with the configuration it leads.</summary>
    /// <exception cref="ArgumentException"><paramref name="node"/> is empty or white space (null is allowed; nothing was sent).</exception>
    /// <exception cref="RaftMembershipException">Refused (<see cref="MembershipOutcome.NotAMember"/>,
    /// <see cref="MembershipOutcome.InvalidTarget"/> for a learner, <see cref="MembershipOutcome.ChangePending"/>, ...),
    /// unavailable, or <see cref="MembershipOutcome.Timeout"/>: the transfer aborted or its answer was lost, so leadership
    /// may or may not have moved.</exception>
    Task<GroupMembership> TransferLeadershipAsync(string? node = null, CancellationToken cancellationToken = default);
}

/// <summary>The answer to a compare-and-set. <see cref="Current"/> is the value that prevented the swap
/// (null: absent); after a swap it is the new value.</summary>
public readonly record struct CasResult(bool Swapped, string? Current);
