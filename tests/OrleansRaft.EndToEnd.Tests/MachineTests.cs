using System.Text.RegularExpressions;
using OrleansRaft.EndToEnd.Tests.Machines;
using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests;

/// <summary>
/// The README's "Deploying on several machines": three machines (127.0.0.2, 127.0.0.3, 127.0.0.4, the same ports,
/// their own data directories), PostgreSQL membership and node-local SQLite storage, each silo started with
/// <c>silo run</c> as the README types it, and the CLI given every gateway. Each test deploys its own cluster on a
/// fresh database. The collection fixture is taken only for its machine-wide lock.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class MachineTests(ClusterFixture fixture)
{
    private static readonly TimeSpan RefusalLimit = TimeSpan.FromSeconds(60);

    [PostgresFact]
    public async Task A_machine_killed_and_restarted_rejoins_with_its_peer_and_no_acknowledged_write_is_lost()
    {
        GC.KeepAlive(fixture);
        await using var machines = await MachineCluster.StartAsync();
        var status = await StatusPolling.UntilSettledAsync(MachineCluster.Machines, machines.Log, machines.Cli);
        Assert.Equal([0, 1, 2], status.Peers.Select(MachineCluster.MachineOf)); // kv/i on node i, on machine i
        var before = Enumerable.Range(0, 5).ToDictionary(i => $"machines/kill/{i}", i => $"before-{i}");
        await KvCli.SetAllAsync(before, machines.Cli);
        var victim = MachineCluster.MachineOf(Assert.Single(status.Leaders));

        var writer = new CliWriter("machines/kill/writer", machines.Note, machines.Cli);
        writer.Start();
        try
        {
            await writer.WaitForAcknowledgedAsync(after: 0, count: 1, TimeSpan.FromSeconds(60), () => machines.Log.Tail(20));
            await machines.KillAsync(victim);
            await writer.WaitForAcknowledgedAsync(after: writer.Acknowledged.Count, count: 2, Deadline.Failover, () => machines.Log.Tail(20));

            await machines.Start(victim, bootstrap: false).WaitUpAsync();
            await writer.WaitForAcknowledgedAsync(after: writer.Acknowledged.Count, count: 1, Deadline.Failover, () => machines.Log.Tail(20));
        }
        finally
        {
            await writer.StopAsync();
        }

        // Rejoined: the restarted node's peer answers from its own machine, follows the leader, and has applied
        // everything the group committed, the writes made while it was down included.
        var peer = $"kv/{victim}";
        await StatusPolling.UntilAsync($"status: {peer} rejoined and caught up", machines.Log, machines.Cli, s =>
            s.IsSettled(MachineCluster.Machines)
            && s.Peers.Single(p => p.Peer == peer) is var row && MachineCluster.MachineOf(row) == victim
            && row.Applied == s.Leaders[0].Commit);

        // Now the group needs it: with another machine down, every quorum includes the restarted peer.
        var other = (victim + 1) % MachineCluster.Machines;
        await machines.KillAsync(other);
        await StatusPolling.UntilAsync($"status: a leader on the two machines left", machines.Log, machines.Cli, s =>
            s.Leaders.Count == 1 && MachineCluster.MachineOf(s.Leaders[0]) != other
            && s.Peers.Single(p => p.Peer == peer).Leader == s.Leaders[0].Peer);
        await KvCli.AssertReadableAsync([.. before.Select(p => (p.Key, p.Value)), .. writer.Acknowledged], writer.Unconfirmed, machines.Cli);
        CliAssert.Prints(await machines.Cli.RunAsync("set", "machines/kill/last", "on-two"), 0, "OK");
        CliAssert.Prints(await machines.Cli.RunAsync("get", "machines/kill/last"), 0, "on-two");
    }

    [PostgresFact]
    public async Task A_machine_whose_data_was_wiped_refuses_to_start_its_peer_and_the_group_serves_on_two()
    {
        GC.KeepAlive(fixture);
        await using var machines = await MachineCluster.StartAsync();
        var status = await StatusPolling.UntilSettledAsync(MachineCluster.Machines, machines.Log, machines.Cli);
        var pairs = Enumerable.Range(0, 5).ToDictionary(i => $"machines/wipe/{i}", i => $"kept-{i}");
        await KvCli.SetAllAsync(pairs, machines.Cli);
        var victim = MachineCluster.MachineOf(status.Peers.First(p => !p.IsLeader));
        var (peer, node) = ($"kv/{victim}", MachineCluster.Node(victim));

        await machines.KillAsync(victim);
        machines.WipeData(victim);
        var restarted = machines.Start(victim, bootstrap: false); // as the README says a node is restarted: no --bootstrap
        await restarted.WaitUpAsync();

        // The peer says so itself, in its silo's log, naming group, peer and node.
        var refusal = $"Raft peer {peer} on node '{node}' refuses to start: it has no storage";
        await machines.Log.WaitForAsync(new Regex($@"^\[{Regex.Escape(restarted.Name)}\] .*{Regex.Escape(refusal)}"), 0, RefusalLimit, restarted.Exited);

        // client status shows the refusal as that peer's error, whichever gateway the client goes through.
        for (var machine = 0; machine < MachineCluster.Machines; machine++)
        {
            var through = MachineCluster.CliThrough(machine);
            var seen = await StatusPolling.UntilAsync($"status through {MachineCluster.Gateway(machine)}: {peer} refuses", machines.Log, through, s =>
                s.Peers.Single(p => p.Peer == peer).Role == "unreachable" && s.ProblemOf(peer)?.StartsWith(refusal, StringComparison.Ordinal) == true);
            Assert.Equal(MachineCluster.Machines - 1, seen.Answered);
            Assert.Single(seen.Leaders);
        }

        // The group serves on the other two, everything acknowledged before included.
        CliAssert.Prints(await machines.Cli.RunAsync("set", "machines/wipe/after", "on-two"), 0, "OK");
        await KvCli.AssertAllReadableAsync(new Dictionary<string, string>(pairs) { ["machines/wipe/after"] = "on-two" }, machines.Cli);
        Assert.False(restarted.Exited.IsCompleted, "the silo itself keeps running: only its peer refuses");
    }

    [PostgresFact]
    public async Task A_second_silo_with_a_node_name_already_running_is_refused_and_the_group_is_untouched()
    {
        GC.KeepAlive(fixture);
        await using var machines = await MachineCluster.StartAsync();
        await StatusPolling.UntilSettledAsync(MachineCluster.Machines, machines.Log, machines.Cli);
        CliAssert.Prints(await machines.Cli.RunAsync("set", "machines/twice", "one"), 0, "OK");
        var elsewhere = Path.Combine(machines.Root, "fourth-machine", "node1");

        // node1 again, on a fourth machine with its own (empty) data directory: refused, naming the live silo.
        var impostor = machines.StartOther("impostor", "node1", [
            "--node", "node1", "--address", "127.0.0.5", "--data", elsewhere,
            "--clustering", "postgres", "--connection", machines.Database.ConnectionString,
        ]);
        var code = await impostor.WaitForExitAsync(TimeSpan.FromSeconds(90));
        Assert.True(code == 1, $"the second node1 exited with {code}:{Environment.NewLine}{machines.Log.Tail()}");
        Assert.Matches(@"^silo: node node1 could not start: node 'node1' is already running as silo S127\.0\.0\.3:11111:\d+: ", ErrorLine(impostor));

        // node1's data directory a second time (the same node twice on one machine): refused by its lock.
        var twin = machines.StartOther("twin", "node1", [
            "--node", "node1", "--address", "127.0.0.5", "--data", machines.DataDirectory(1),
            "--clustering", "postgres", "--connection", machines.Database.ConnectionString,
        ]);
        code = await twin.WaitForExitAsync(TimeSpan.FromSeconds(90));
        Assert.True(code == 1, $"the silo on node1's directory exited with {code}:{Environment.NewLine}{machines.Log.Tail()}");
        Assert.Matches(@"^silo: node node1 could not start: the node data directory .*/machine1/node1 is in use by another silo", ErrorLine(twin));

        // The real node1 still hosts kv/1, and the group serves.
        var status = await StatusPolling.UntilSettledAsync(MachineCluster.Machines, machines.Log, machines.Cli);
        Assert.Equal([0, 1, 2], status.Peers.Select(MachineCluster.MachineOf));
        CliAssert.Prints(await machines.Cli.RunAsync("get", "machines/twice"), 0, "one");
    }

    /// <summary>The one line <c>silo run</c> prints on stderr when it cannot start (its log lines go to stdout, in
    /// whatever order the two streams arrive).</summary>
    private static string ErrorLine(SiloProcess silo) => Assert.Single(silo.Lines(), l => l.StartsWith("silo: ", StringComparison.Ordinal));
}
