namespace OrleansRaft.Membership;

/// <summary>How a membership or leadership request ended. Every refusal changed nothing.</summary>
[GenerateSerializer, Alias("OrleansRaft.MembershipOutcome")]
public enum MembershipOutcome : byte
{
    /// <summary>Done: the change committed (or the leadership moved), and <c>Membership</c> shows the group after it.</summary>
    Ok = 0,

    /// <summary>The request cannot be carried out as given (an empty or invalid node name, a node to add whose silo is not
    /// running); nothing changed.</summary>
    InvalidArgument = 10,

    /// <summary>No Raft group of that name is configured.</summary>
    UnknownGroup = 11,

    /// <summary>The node hosts no member of the group (remove, promote, transfer).</summary>
    NotAMember = 12,

    /// <summary>The node already hosts a member of the group (add), or the member already is a voter (promote).</summary>
    AlreadyMember = 13,

    /// <summary>Removing the group's last voter would leave a group that can never commit again.</summary>
    LastVoter = 14,

    /// <summary>Another membership change (or a leadership transfer) is under way: one at a time. Retry when it is done.</summary>
    ChangePending = 15,

    /// <summary>The learner lags too far behind the leader to be promoted yet; <c>Error</c> says by how much.</summary>
    LearnerBehind = 16,

    /// <summary>After the change, the voters the leader hears from would not be a majority: the group would stop.</summary>
    WouldLoseQuorum = 17,

    /// <summary>Leadership can only move to a voter: the target is a learner.</summary>
    InvalidTarget = 18,

    /// <summary>No answer within the deadline: the change may or may not have taken effect (list the members to see).</summary>
    Timeout = 19,

    /// <summary>The group could not serve the request (no leader reachable in time); nothing changed.</summary>
    Unavailable = 20,
}

/// <summary>What a member is in the configuration in force.</summary>
[GenerateSerializer, Alias("OrleansRaft.MemberRole")]
public enum MemberRole : byte
{
    Voter = 0,

    /// <summary>Receives the log and snapshots; never votes, never counts toward commit.</summary>
    Learner = 1,
}

/// <summary>One member of a group, as its leader sees it.</summary>
/// <param name="Peer">The member's peer id (its grain key).</param>
/// <param name="Node">The node (silo name) the member lives on.</param>
/// <param name="Match">The last log index known to be replicated on the member (the leader's own last index for the leader).</param>
/// <param name="Lag">How many entries the member is behind the leader's last index.</param>
/// <param name="Responsive">The leader heard from the member within about the last election timeout.</param>
/// <param name="Next">The next log index the leader sends the member.</param>
[GenerateSerializer, Immutable, Alias("OrleansRaft.MemberInfo")]
public sealed record MemberInfo(
    [property: Id(0)] string Peer,
    [property: Id(1)] string Node,
    [property: Id(2)] MemberRole Role,
    [property: Id(3)] bool IsLeader,
    [property: Id(4)] long Match,
    [property: Id(5)] long Lag,
    [property: Id(6)] bool Responsive,
    [property: Id(7)] long Next = 0);

/// <summary>A group's configuration in force, from its leader.</summary>
/// <param name="ConfigIndex">Log index of the membership change that made this configuration (0: the bootstrap one).</param>
[GenerateSerializer, Immutable, Alias("OrleansRaft.GroupMembership")]
public sealed record GroupMembership(
    [property: Id(0)] string Group,
    [property: Id(1)] string? Leader,
    [property: Id(2)] long Term,
    [property: Id(3)] long ConfigIndex,
    [property: Id(4)] MemberInfo[] Members);

[GenerateSerializer, Immutable, Alias("OrleansRaft.MembershipResponse")]
public sealed record MembershipResponse(
    [property: Id(0)] MembershipOutcome Outcome,
    [property: Id(1)] GroupMembership? Membership = null,
    [property: Id(2)] string? Error = null)
{
    public bool IsError => Outcome != MembershipOutcome.Ok;
}
