using OrleansRaft.EndToEnd.Tests.Machines;
using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests;

/// <summary>
/// The README's all-PostgreSQL deployment on three machines (127.0.0.2-4) and a spare fourth (127.0.0.5): every silo
/// reaches the peers' state, so a peer whose machine died runs on the spare until its machine is back, and the
/// group keeps three peers meanwhile.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class MachineRoamingTests(ClusterFixture fixture)
{
    [PostgresFact]
    public async Task A_dead_machines_peer_runs_on_the_spare_machine_and_goes_home_when_its_machine_is_back()
    {
        GC.KeepAlive(fixture);
        await using var machines = await MachineCluster.StartAsync(sharedStorage: true, spare: true);
        var status = await StatusPolling.UntilSettledAsync(MachineCluster.Machines, machines.Log, machines.Cli);
        Assert.Equal([0, 1, 2], status.Peers.Select(MachineCluster.MachineOf)); // the spare hosts nothing yet
        CliAssert.Prints(await machines.Cli.RunAsync("set", "machines/roam/before", "1"), 0, "OK");
        var victim = MachineCluster.MachineOf(status.Peers.First(p => !p.IsLeader));
        var peer = $"kv/{victim}";

        await machines.KillAsync(victim);
        await StatusPolling.UntilAsync($"status: {peer} on the spare machine, following", machines.Log, machines.Cli, s =>
            s.IsSettled(MachineCluster.Machines) && MachineCluster.MachineOf(s.Peers.Single(p => p.Peer == peer)) == MachineCluster.Spare);
        CliAssert.Prints(await machines.Cli.RunAsync("set", "machines/roam/while", "2"), 0, "OK");

        // A second machine down as well: the spare hosts one of the two dead machines' peers, and that is a quorum.
        var other = (victim + 1) % MachineCluster.Machines;
        await machines.KillAsync(other);
        CliAssert.Prints(await machines.Cli.RunAsync("set", "machines/roam/on-two-machines", "3"), 0, "OK");
        await machines.Start(other, bootstrap: false).WaitUpAsync();

        await machines.Start(victim, bootstrap: false).WaitUpAsync();
        await StatusPolling.UntilAsync($"status: {peer} back on its machine", machines.Log, machines.Cli, s =>
            s.IsSettled(MachineCluster.Machines) && s.Peers.Select(MachineCluster.MachineOf).SequenceEqual([0, 1, 2]));
        foreach (var (key, value) in new[] { ("before", "1"), ("while", "2"), ("on-two-machines", "3") })
            CliAssert.Prints(await machines.Cli.RunAsync("get", $"machines/roam/{key}"), 0, value);
    }
}
