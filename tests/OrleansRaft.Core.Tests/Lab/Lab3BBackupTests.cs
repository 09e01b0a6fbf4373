using Xunit.Abstractions;

namespace OrleansRaft.Core.Tests.Lab;

/// <summary>MIT 6.5840 lab 3B: fast backup of conflicting logs, and the RPC budget of elections and agreement.</summary>
public class Lab3BBackupTests(ITestOutputHelper output) : LabTest(output)
{
    [Fact]
    public void TestBackup()
    {
        const int servers = 5;
        var cfg = Lab(servers, unreliable: false);
        cfg.One(cfg.Random.Next(), servers, retry: true);
        // Put the leader and one follower in a partition.
        var leader1 = cfg.CheckOneLeader();
        cfg.Disconnect((leader1 + 2) % servers);
        cfg.Disconnect((leader1 + 3) % servers);
        cfg.Disconnect((leader1 + 4) % servers);
        // Submit lots of commands that won't commit.
        for (var i = 0; i < 50; i++) cfg.Start(leader1, cfg.Random.Next());
        cfg.Sleep(LabConfig.RaftElectionTimeout / 2);
        cfg.Disconnect((leader1 + 0) % servers);
        cfg.Disconnect((leader1 + 1) % servers);
        // Allow the other partition to recover.
        cfg.Connect((leader1 + 2) % servers);
        cfg.Connect((leader1 + 3) % servers);
        cfg.Connect((leader1 + 4) % servers);
        // Lots of successful commands to the new group.
        for (var i = 0; i < 50; i++) cfg.One(cfg.Random.Next(), 3, retry: true);
        // Now another partitioned leader and one follower.
        var leader2 = cfg.CheckOneLeader();
        var other = (leader1 + 2) % servers;
        if (leader2 == other) other = (leader2 + 1) % servers;
        cfg.Disconnect(other);
        // Lots more commands that won't commit.
        for (var i = 0; i < 50; i++) cfg.Start(leader2, cfg.Random.Next());
        cfg.Sleep(LabConfig.RaftElectionTimeout / 2);
        // Bring the original leader back to life: its 50 conflicting entries must be backed over quickly.
        for (var i = 0; i < servers; i++) cfg.Disconnect(i);
        cfg.Connect((leader1 + 0) % servers);
        cfg.Connect((leader1 + 1) % servers);
        cfg.Connect(other);
        // Lots of successful commands to the new group.
        for (var i = 0; i < 50; i++) cfg.One(cfg.Random.Next(), 3, retry: true);
        // Now everyone.
        for (var i = 0; i < servers; i++) cfg.Connect(i);
        cfg.One(cfg.Random.Next(), servers, retry: true);
    }

    [Fact]
    public void TestCount()
    {
        const int servers = 3;
        var cfg = Lab(servers, unreliable: false);
        var leader = cfg.CheckOneLeader();
        var total1 = cfg.RpcTotal;
        if (total1 > 30 || total1 < 1) throw new LabFailure($"too many or few RPCs ({total1}) to elect initial leader");
        Output.WriteLine($"{total1} RPCs to elect the initial leader (at most 30)");

        long total2 = 0;
        var success = false;
        for (var attempt = 0; attempt < 5 && !success; attempt++)
        {
            if (attempt > 0) cfg.Sleep(3 * LabConfig.RaftElectionTimeout);
            leader = cfg.CheckOneLeader();
            total1 = cfg.RpcTotal;
            const int iters = 10;
            var (starti, term, ok) = cfg.Start(leader, 1);
            if (!ok) continue; // leader moved on quickly
            var commands = new List<long>();
            var moved = false;
            for (var i = 1; i < iters + 2 && !moved; i++)
            {
                long x = cfg.Random.Next();
                commands.Add(x);
                var (index1, term1, ok1) = cfg.Start(leader, x);
                if (term1 != term || !ok1) moved = true;
                else if (starti + i != index1) throw new LabFailure("Start() failed");
            }
            if (moved) continue;
            for (var i = 1; i < iters + 1 && !moved; i++)
            {
                var command = cfg.Wait(starti + i, servers, term);
                if (command == LabConfig.TermChanged) moved = true;
                else if (command != commands[i - 1])
                    throw new LabFailure($"wrong value {command} committed for index {starti + i}; expected {commands[i - 1]}");
            }
            if (moved) continue;
            if (Enumerable.Range(0, servers).Any(j => cfg.GetState(j).Term != term)) continue;
            total2 = cfg.RpcTotal;
            if (total2 - total1 > (iters + 1 + 3) * 3)
                throw new LabFailure($"too many RPCs ({total2 - total1}) for {iters} entries");
            Output.WriteLine($"{total2 - total1} RPCs for {iters} agreements (at most {(iters + 1 + 3) * 3})");
            success = true;
        }
        if (!success) throw new LabFailure("term changed too often");

        cfg.Sleep(LabConfig.RaftElectionTimeout);
        var total3 = cfg.RpcTotal;
        if (total3 - total2 > 3 * 20) throw new LabFailure($"too many RPCs ({total3 - total2}) for 1 second of idleness");
        Output.WriteLine($"{total3 - total2} RPCs for 1 second of idleness (at most 60)");
    }
}
