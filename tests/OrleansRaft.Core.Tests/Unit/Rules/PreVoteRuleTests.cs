using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Paper;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// Thesis §9.6, PreVote. A pre-vote is granted to a candidate that could win: an up-to-date log, for a term later than
/// ours, or for our own term only as a real vote would be (no vote cast for someone else, no leader known). A pre-vote
/// from a node behind our term is answered with a rejection that carries our term, so that the pre-candidate catches up
/// instead of asking again forever; a stale real vote request gets no answer.
/// </summary>
public sealed class PreVoteRuleTests
{
    public static TheoryData<string, long, bool> ForOurTermOrLater => new()
    {
        // what the voter (term 3, log 1 1 2) knows: "leader 1", "voted 1", "voted 3", "nothing"; pre-vote term from
        // candidate 3; granted
        { "nothing", 3, true },
        { "voted 3", 3, true },
        { "voted 1", 3, false },   // a real vote in this term would be refused
        { "leader 1", 3, false },
        { "leader 1", 4, true },   // a later term binds nothing yet (and no CheckQuorum lease here)
        { "voted 1", 4, true },
    };

    [Theory]
    [MemberData(nameof(ForOurTermOrLater))]
    public void APreVoteForOurTermIsGrantedOnlyAsAVoteWouldBe(string knows, long term, bool granted)
    {
        var vote = knows.StartsWith("voted", StringComparison.Ordinal) ? knows[^1..] : null;
        var voter = Nodes.Restored(Nodes.Config("2", preVote: true), term: 3, vote: vote, commit: 0, 1, 1, 2);
        if (knows == "leader 1") voter.Step(new Heartbeat("1", "2", 3, 0, 0));
        Nodes.Flush(voter);

        voter.Step(new RequestVote("3", "2", term, 3, 2, PreVote: true));

        var reply = Assert.IsType<RequestVoteReply>(Assert.Single(Nodes.Sent(voter)));
        Assert.Equal((granted, true), (reply.Granted, reply.PreVote));
        Assert.Equal(3, voter.Term);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AStaleRequestIsRejectedAtOurTermOnlyIfItIsAPreVote(bool preVote)
    {
        var voter = Nodes.Restored(Nodes.Config("2", preVote: true), term: 5);

        voter.Step(new RequestVote("3", "2", 3, 10, 4, preVote));

        var sent = Nodes.Sent(voter);
        if (preVote) Assert.Equal(new RequestVoteReply("2", "3", 5, Granted: false, PreVote: true), Assert.Single(sent));
        else Assert.Empty(sent);
    }
}
