using OrleansRaft.Client;

namespace OrleansRaft.Cli.Operations;

internal enum MembershipVerb
{
    List,
    Add,
    Promote,
    Remove,
    Transfer,
}

/// <summary>
/// One membership or leadership request of the command line (<c>member ...</c>, <c>leader transfer</c>).
/// <see cref="Node"/> is null only for <see cref="MembershipVerb.List"/> and for a transfer to whichever voter is furthest along.
/// </summary>
internal sealed record MembershipOperation(MembershipVerb Verb, string? Node = null, bool AsLearner = false)
{
    /// <summary>The library's boundary checks, run before connecting so bad input never waits for a cluster.</summary>
    public void Validate()
    {
        // A transfer may leave the node out (to the voter furthest along); add, promote and remove always name one.
        if (Node is not null || Verb is MembershipVerb.Add or MembershipVerb.Promote or MembershipVerb.Remove) KvArguments.ValidateNode(Node);
    }
}
