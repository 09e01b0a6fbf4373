namespace OrleansRaft.Core.Tests.Lab;

/// <summary>
/// The lab's internalChurn: three clients submit commands to whoever accepts them while servers are
/// disconnected, crashed and restarted at random; afterwards every value a client saw committed must be in
/// the final log.
/// </summary>
internal static class Churn
{
    private const int Clients = 3;

    public static void Run(LabConfig cfg)
    {
        var servers = cfg.Servers;
        var stop = false;
        var seen = new List<long>[Clients];
        var handles = new List<Coroutines.Handle>();
        for (var c = 0; c < Clients; c++)
        {
            seen[c] = [];
            handles.Add(cfg.Go(Client(cfg, c, () => stop, seen[c])));
        }

        for (var iters = 0; iters < 20; iters++)
        {
            if (cfg.Random.Next(1000) < 200) cfg.Disconnect(cfg.Random.Next(servers));
            if (cfg.Random.Next(1000) < 500)
            {
                var i = cfg.Random.Next(servers);
                if (!cfg.IsUp(i)) cfg.Start1(i);
                cfg.Connect(i);
            }
            if (cfg.Random.Next(1000) < 200)
            {
                var i = cfg.Random.Next(servers);
                if (cfg.IsUp(i)) cfg.Crash1(i);
            }
            // Often enough that the peers cannot settle down between changes, rarely enough that they often keep up.
            cfg.Sleep(LabConfig.RaftElectionTimeout * 7 / 10);
        }

        cfg.Sleep(LabConfig.RaftElectionTimeout);
        cfg.SetUnreliable(false);
        for (var i = 0; i < servers; i++)
        {
            if (!cfg.IsUp(i)) cfg.Start1(i);
            cfg.Connect(i);
        }
        stop = true;
        cfg.Run(Lab3CUnreliableTests.WaitAll(handles));
        var values = seen.SelectMany(v => v).ToList();

        cfg.Sleep(LabConfig.RaftElectionTimeout);
        var lastIndex = cfg.One(cfg.Random.Next(), servers, retry: true);
        var really = new HashSet<long>();
        for (long index = 1; index <= lastIndex; index++)
            if (cfg.Wait(index, servers, -1) is { } value) really.Add(value);
        foreach (var value in values)
            if (!really.Contains(value)) throw new LabFailure("didn't find a value");
        if (values.Count == 0) throw new LabFailure("no client saw any of its values committed");
    }

    private static IEnumerable<long> Client(LabConfig cfg, int me, Func<bool> stop, List<long> values)
    {
        while (!stop())
        {
            long x = cfg.Random.Next();
            long index = -1;
            var ok = false;
            // Try them all: maybe one of them is a leader.
            for (var i = 0; i < cfg.Servers; i++)
            {
                if (!cfg.IsUp(i)) continue;
                var (index1, _, ok1) = cfg.Start(i, x);
                if (ok1)
                {
                    ok = true;
                    index = index1;
                }
            }
            if (ok)
            {
                // Maybe the leader will commit our value, maybe not, but don't wait forever.
                foreach (var to in (int[])[10, 20, 50, 100, 200])
                {
                    var (nd, command) = cfg.NCommitted(index);
                    if (nd > 0)
                    {
                        if (command == x) values.Add(x);
                        break;
                    }
                    yield return LabConfig.Ms(to);
                }
            }
            else
            {
                yield return LabConfig.Ms(79 + me * 17);
            }
        }
    }
}
