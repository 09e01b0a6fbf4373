using OrleansRaft.Membership;

namespace OrleansRaft.Client;

/// <summary>
/// A membership change, leadership transfer or member listing failed. <see cref="Code"/> is the group's own answer
/// (never <see cref="MembershipOutcome.Ok"/>), so callers can branch on it without parsing messages: every refusal
/// (<see cref="MembershipOutcome.NotAMember"/>, <see cref="MembershipOutcome.LearnerBehind"/>, ...) changed nothing.
/// <see cref="OutcomeUnknown"/> is the one fact a caller must not ignore: when it is true, the change was sent and no
/// answer came back, so it may or may not have taken effect; list the members to see.
/// </summary>
/// <remarks>A sibling of <see cref="RaftKvException"/>, not a subclass: its codes are <see cref="MembershipOutcome"/>s,
/// which say more than the KV statuses can (a refusal names its reason), and no KV status would fit a refusal.</remarks>
public sealed class RaftMembershipException : Exception
{
    public RaftMembershipException(
        MembershipOutcome code, string group, string message, bool outcomeUnknown = false, GroupMembership? membership = null, Exception? innerException = null)
        : base(message, innerException)
    {
        if (code == MembershipOutcome.Ok) throw new ArgumentOutOfRangeException(nameof(code), code, "A success is not an error.");
        Code = code;
        Group = group;
        OutcomeUnknown = outcomeUnknown;
        Membership = membership;
    }

    /// <summary>Why the request failed: one of the error outcomes of <see cref="MembershipOutcome"/>. A change that
    /// was sent but not answered in time is <see cref="MembershipOutcome.Timeout"/>.</summary>
    public MembershipOutcome Code { get; }

    /// <summary>The Raft group the request was sent to.</summary>
    public string Group { get; }

    /// <summary>True when a change (add, promote, remove, transfer) may have taken effect despite the failure: it was
    /// sent, and no answer came back. Never true for a refusal, nor for <c>ListMembersAsync</c>, which changes nothing.
    /// A change is not retried blindly when this is true (it carries no request id: a retry could add, remove or move
    /// twice); call <c>ListMembersAsync</c> to see where the group stands.</summary>
    public bool OutcomeUnknown { get; }

    /// <summary>The configuration in force when the group refused, if it said; null otherwise.</summary>
    public GroupMembership? Membership { get; }
}
