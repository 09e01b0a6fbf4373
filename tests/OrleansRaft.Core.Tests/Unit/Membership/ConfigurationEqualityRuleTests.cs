using static OrleansRaft.Core.Tests.Unit.Membership.MembershipRuleKit;

namespace OrleansRaft.Core.Tests.Unit.Membership;

/// <summary>
/// Two configurations are equal when they have the same voters and the same learners, in any order given: a peer
/// compares the configuration a snapshot carries with the one its log holds, and a leader's refusal reasons compare
/// configurations too. Equal configurations hash alike.
/// </summary>
public sealed class ConfigurationEqualityRuleTests
{
    public static TheoryData<string, string, string, string, bool> Pairs => new()
    {
        // voters and learners of one, voters and learners of the other, equal
        { "1 2 3", "", "3 2 1", "", true },
        { "1 2", "4 5", "2 1", "5 4", true },
        { "1 2 3", "", "1 2", "", false },
        { "1 2", "4", "1 3", "4", false },   // the same learners, other voters
        { "1 2", "4", "1 2", "5", false },   // the same voters, other learners
        { "1 2", "4", "1 2 4", "", false },  // 4 a voter in one, a learner in the other
        { "1 2", "", "1 2", "4", false },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void ConfigurationsAreEqualWhenVotersAndLearnersAre(string voters, string learners, string otherVoters,
        string otherLearners, bool equal)
    {
        var one = Conf(voters, learners);
        var other = Conf(otherVoters, otherLearners);

        Assert.Equal(equal, one.Equals(other));
        Assert.Equal(equal, other.Equals((object)one));
        Assert.False(one.Equals(null));
        if (equal) Assert.Equal(one.GetHashCode(), other.GetHashCode());
    }
}
