using Xunit.Abstractions;

namespace OrleansRaft.Core.Tests.Lab;

/// <summary>MIT 6.5840 lab 3A: leader election.</summary>
public class Lab3AElectionTests(ITestOutputHelper output) : LabTest(output)
{
    [Fact]
    public void TestInitialElection()
    {
        var cfg = Lab(3, unreliable: false);
        // Is a leader elected?
        cfg.CheckOneLeader();
        // Sleep a bit to avoid racing with followers learning of the election, then check all peers agree on the term.
        cfg.Sleep(LabConfig.Ms(50));
        var term1 = cfg.CheckTerms();
        Assert.True(term1 >= 1, $"term is {term1}, but should be at least 1");
        // Does the leader+term stay the same if there is no network failure?
        cfg.Sleep(2 * LabConfig.RaftElectionTimeout);
        var term2 = cfg.CheckTerms();
        // The lab only warns here; with PreVote and CheckQuorum nothing should disturb a healthy leader.
        Assert.True(term1 == term2, "term changed even though there were no failures");
        // There should still be a leader.
        cfg.CheckOneLeader();
    }

    [Fact]
    public void TestReElection()
    {
        const int servers = 3;
        var cfg = Lab(servers, unreliable: false);
        var leader1 = cfg.CheckOneLeader();
        // If the leader disconnects, a new one should be elected.
        cfg.Disconnect(leader1);
        cfg.CheckOneLeader();
        // If the old leader rejoins, that shouldn't disturb the new leader. And the old leader should switch to follower.
        cfg.Connect(leader1);
        var leader2 = cfg.CheckOneLeader();
        // If there's no quorum, no new leader should be elected.
        cfg.Disconnect(leader2);
        cfg.Disconnect((leader2 + 1) % servers);
        cfg.Sleep(2 * LabConfig.RaftElectionTimeout);
        // Check that the one connected server does not think it is the leader.
        cfg.CheckNoLeader();
        // If a quorum arises, it should elect a leader.
        cfg.Connect((leader2 + 1) % servers);
        cfg.CheckOneLeader();
        // Re-join of last node shouldn't prevent leader from existing.
        cfg.Connect(leader2);
        cfg.CheckOneLeader();
    }

    [Fact]
    public void TestManyElections()
    {
        const int servers = 7;
        var cfg = Lab(servers, unreliable: false);
        cfg.CheckOneLeader();
        for (var ii = 1; ii < 10; ii++)
        {
            // Disconnect three nodes.
            var i1 = cfg.Random.Next(servers);
            var i2 = cfg.Random.Next(servers);
            var i3 = cfg.Random.Next(servers);
            cfg.Disconnect(i1);
            cfg.Disconnect(i2);
            cfg.Disconnect(i3);
            // Either the current leader should still be alive, or the remaining four should elect a new one.
            cfg.CheckOneLeader();
            cfg.Connect(i1);
            cfg.Connect(i2);
            cfg.Connect(i3);
        }
        cfg.CheckOneLeader();
    }
}
