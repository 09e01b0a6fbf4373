using Xunit.Abstractions;

namespace OrleansRaft.Core.Tests.Lab;

/// <summary>MIT 6.5840 lab 3C: agreement on an unreliable network, with long reordering and churn.</summary>
public class Lab3CUnreliableTests(ITestOutputHelper output) : LabTest(output)
{
    [Fact]
    public void TestUnreliableAgree()
    {
        const int servers = 5;
        var cfg = Lab(servers, unreliable: true);
        var clients = new List<Coroutines.Handle>();
        for (var iters = 1; iters < 50; iters++)
        {
            for (var j = 0; j < 4; j++) clients.Add(cfg.Go(cfg.OneRoutine(100 * iters + j, 1, retry: true)));
            cfg.One(iters, 1, retry: true);
        }
        cfg.SetUnreliable(false);
        // wg.Wait(): the concurrent one() calls finish.
        cfg.Run(WaitAll(clients));
        cfg.One(100, servers, retry: true);
    }

    [Fact]
    public void TestFigure8Unreliable()
    {
        const int servers = 5;
        var cfg = Lab(servers, unreliable: true);
        cfg.One(cfg.Random.Next(10000), 1, retry: true);
        var nup = servers;
        for (var iters = 0; iters < 1000; iters++)
        {
            if (iters == 200) cfg.SetLongReordering(true);
            var leader = -1;
            for (var i = 0; i < servers; i++)
                if (cfg.Start(i, cfg.Random.Next(10000)).IsLeader && cfg.IsConnected(i)) leader = i;
            cfg.Sleep(cfg.Random.Next(1000) < 100
                ? LabConfig.Ms(cfg.Random.Next((int)(LabConfig.RaftElectionTimeout / LabConfig.Ms(1)) / 2))
                : LabConfig.Ms(cfg.Random.Next(13)));
            if (leader != -1 && cfg.Random.Next(1000) < (int)(LabConfig.RaftElectionTimeout / LabConfig.Ms(1)) / 2)
            {
                cfg.Disconnect(leader);
                nup--;
            }
            if (nup < 3)
            {
                var s = cfg.Random.Next(servers);
                if (!cfg.IsConnected(s))
                {
                    cfg.Connect(s);
                    nup++;
                }
            }
        }
        for (var i = 0; i < servers; i++)
            if (!cfg.IsConnected(i)) cfg.Connect(i);
        cfg.One(cfg.Random.Next(10000), servers, retry: true);
    }

    [Fact]
    public void TestReliableChurn() => Churn.Run(Lab(5, unreliable: false));

    [Fact]
    public void TestUnreliableChurn() => Churn.Run(Lab(5, unreliable: true));

    internal static IEnumerable<long> WaitAll(IReadOnlyList<Coroutines.Handle> handles)
    {
        while (handles.Any(h => !h.Done)) yield return LabConfig.Ms(10);
    }
}
