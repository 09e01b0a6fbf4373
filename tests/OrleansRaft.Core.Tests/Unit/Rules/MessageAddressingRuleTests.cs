using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// A node acts only on messages addressed to it by another node: a message for another peer (misrouted by the
/// transport) or one that claims to come from the node itself changes nothing, whatever its term, and gets no answer.
/// </summary>
public sealed class MessageAddressingRuleTests
{
    public static TheoryData<string, string, long, bool> Messages => new()
    {
        // heartbeat from, to, term, acted on; node "2" is a follower of term 1
        { "1", "2", 1, true },
        { "1", "2", 5, true },
        { "1", "3", 1, false },   // for another peer
        { "1", "3", 5, false },   // ... even with a newer term
        { "2", "2", 1, false },   // from itself
        { "2", "2", 5, false },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void OnlyMessagesToThisNodeFromAnotherAreActedOn(string from, string to, long term, bool actedOn)
    {
        var node = Nodes.Restored(Nodes.Config("2"), term: 1);

        node.Step(new Heartbeat(from, to, term, 0, 0));

        var sent = Nodes.Sent(node);
        Assert.Equal(actedOn ? (term, from) : (1, null), (node.Term, node.Leader));
        Assert.Equal(actedOn ? 1 : 0, sent.Count);
    }
}
