using Xunit.Abstractions;

namespace OrleansRaft.Core.Tests.Lab;

/// <summary>MIT 6.5840 lab 3C: persistence across crashes and restarts.</summary>
public class Lab3CPersistenceTests(ITestOutputHelper output) : LabTest(output)
{
    [Fact]
    public void TestPersist1()
    {
        const int servers = 3;
        var cfg = Lab(servers, unreliable: false);
        cfg.One(11, servers, retry: true);
        // Crash and re-start all.
        for (var i = 0; i < servers; i++) cfg.Start1(i);
        for (var i = 0; i < servers; i++)
        {
            cfg.Disconnect(i);
            cfg.Connect(i);
        }
        cfg.One(12, servers, retry: true);

        var leader1 = cfg.CheckOneLeader();
        cfg.Disconnect(leader1);
        cfg.Start1(leader1);
        cfg.Connect(leader1);
        cfg.One(13, servers, retry: true);

        var leader2 = cfg.CheckOneLeader();
        cfg.Disconnect(leader2);
        var index14 = cfg.One(14, servers - 1, retry: true);
        cfg.Start1(leader2);
        cfg.Connect(leader2);
        // Wait for leader2 to join before killing i3 (lab: index 4, the index of 14).
        cfg.Wait(index14, servers, -1);

        var i3 = (cfg.CheckOneLeader() + 1) % servers;
        cfg.Disconnect(i3);
        cfg.One(15, servers - 1, retry: true);
        cfg.Start1(i3);
        cfg.Connect(i3);
        cfg.One(16, servers, retry: true);
    }

    [Fact]
    public void TestPersist2()
    {
        const int servers = 5;
        var cfg = Lab(servers, unreliable: false);
        var index = 1;
        for (var iters = 0; iters < 5; iters++)
        {
            cfg.One(10 + index, servers, retry: true);
            index++;
            var leader1 = cfg.CheckOneLeader();
            cfg.Disconnect((leader1 + 1) % servers);
            cfg.Disconnect((leader1 + 2) % servers);
            cfg.One(10 + index, servers - 2, retry: true);
            index++;
            cfg.Disconnect((leader1 + 0) % servers);
            cfg.Disconnect((leader1 + 3) % servers);
            cfg.Disconnect((leader1 + 4) % servers);
            cfg.Start1((leader1 + 1) % servers);
            cfg.Start1((leader1 + 2) % servers);
            cfg.Connect((leader1 + 1) % servers);
            cfg.Connect((leader1 + 2) % servers);
            cfg.Sleep(LabConfig.RaftElectionTimeout);
            cfg.Start1((leader1 + 3) % servers);
            cfg.Connect((leader1 + 3) % servers);
            cfg.One(10 + index, servers - 2, retry: true);
            index++;
            cfg.Connect((leader1 + 4) % servers);
            cfg.Connect((leader1 + 0) % servers);
        }
        cfg.One(1000, servers, retry: true);
    }

    [Fact]
    public void TestPersist3()
    {
        const int servers = 3;
        var cfg = Lab(servers, unreliable: false);
        cfg.One(101, 3, retry: true);
        var leader = cfg.CheckOneLeader();
        cfg.Disconnect((leader + 2) % servers);
        cfg.One(102, 2, retry: true);
        cfg.Crash1((leader + 0) % servers);
        cfg.Crash1((leader + 1) % servers);
        cfg.Connect((leader + 2) % servers);
        cfg.Start1((leader + 0) % servers);
        cfg.Connect((leader + 0) % servers);
        cfg.One(103, 2, retry: true);
        cfg.Start1((leader + 1) % servers);
        cfg.Connect((leader + 1) % servers);
        cfg.One(104, servers, retry: true);
    }

    /// <summary>Test the scenarios described in Figure 8 of the extended Raft paper. Each iteration asks a leader,
    /// if there is one, to insert a command in the Raft log; with luck, it has time to replicate it before it
    /// crashes. Then someone else becomes leader. Each time, a crashed server is restarted if fewer than three are up.</summary>
    [Fact]
    public void TestFigure8()
    {
        const int servers = 5;
        var cfg = Lab(servers, unreliable: false);
        cfg.One(cfg.Random.Next(), 1, retry: true);
        var nup = servers;
        for (var iters = 0; iters < 1000; iters++)
        {
            var leader = -1;
            for (var i = 0; i < servers; i++)
                if (cfg.IsUp(i) && cfg.Start(i, cfg.Random.Next()).IsLeader) leader = i;
            cfg.Sleep(cfg.Random.Next(1000) < 100
                ? LabConfig.Ms(cfg.Random.Next((int)(LabConfig.RaftElectionTimeout / LabConfig.Ms(1)) / 2))
                : LabConfig.Ms(cfg.Random.Next(13)));
            if (leader != -1)
            {
                cfg.Crash1(leader);
                nup--;
            }
            if (nup < 3)
            {
                var s = cfg.Random.Next(servers);
                if (!cfg.IsUp(s))
                {
                    cfg.Start1(s);
                    cfg.Connect(s);
                    nup++;
                }
            }
        }
        for (var i = 0; i < servers; i++)
        {
            if (cfg.IsUp(i)) continue;
            cfg.Start1(i);
            cfg.Connect(i);
        }
        cfg.One(cfg.Random.Next(), servers, retry: true);
    }
}
