using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>
/// Membership changes as an operator makes them with the CLI, while the run's clients go on: grow the group from 3 to
/// 5 (start node3 and node4 with <c>silo run</c>, <c>member add</c> each); replace node1 after its disk is lost (kill it,
/// wipe its data directory, <c>member remove node1</c>, start it again empty, <c>member add node1</c>); shrink to 3
/// with the leader among the removed; then a rolling restart of every silo left (SIGTERM, start again, one after
/// another). Every step must succeed; the run then checks the clients' history as always.
/// </summary>
internal sealed class MembershipNemesis(SiloControl silos, Action<string> note) : INemesis
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(90);
    private readonly List<string> _done = [];

    public string Summary => $"membership: {string.Join(", ", _done)}";

    /// <summary>The silos the run starts beyond the launcher's three.</summary>
    public const int ExtraSilos = 2;

    public async Task RunAsync(CancellationToken stop)
    {
        // Grow 3 -> 5.
        await silos.RestartAsync(3);
        await silos.RestartAsync(4);
        await MemberAsync("add", "node3");
        await MemberAsync("add", "node4");
        await ExpectVotersAsync(["node0", "node1", "node2", "node3", "node4"]);
        _done.Add("grew 3 -> 5");

        // Replace a node whose data was lost: removed as a member, added again as a new one (a new peer id).
        await silos.KillAsync(1);
        note($"rm -rf {silos.DataDirectory(1)}");
        Directory.Delete(silos.DataDirectory(1), recursive: true);
        await MemberAsync("remove", "node1");
        await silos.RestartAsync(1);
        await MemberAsync("add", "node1");
        var replaced = await ExpectVotersAsync(["node0", "node1", "node2", "node3", "node4"]);
        if (replaced.Voters.Single(m => m.Node == "node1").Peer == "kv/1")
            throw new InvalidOperationException("node1's member is still peer kv/1: a replacement must be a new peer");
        _done.Add("replaced wiped node1");

        // Shrink 5 -> 3, the leader first.
        var leader = (await MemberList.ReadAsync(StepLimit)).Leader.Node;
        await MemberAsync("remove", leader);
        var second = (await MemberList.ReadAsync(StepLimit)).Voters.First(m => !m.IsLeader).Node;
        await MemberAsync("remove", second);
        var left = await ExpectVotersCountAsync(3);
        _done.Add($"shrank 5 -> 3 (removed {leader}, the leader, and {second})");

        // Rolling restart of the silos that host the remaining voters, leader last.
        var order = left.Voters.OrderBy(m => m.IsLeader).Select(m => int.Parse(m.Node["node".Length..])).ToArray();
        foreach (var index in order)
        {
            await silos.StopAsync(index);
            await silos.RestartAsync(index);
            await ExpectVotersCountAsync(3, responsive: true);
        }
        _done.Add("rolling restart of " + string.Join(", ", order.Select(i => $"node{i}")));
    }

    private async Task MemberAsync(params string[] args)
    {
        note($"client member {string.Join(' ', args)}");
        var result = await CliTarget.Local.RunAsync(["--timeout", "60", "member", .. args], stdin: null);
        note($"client member {string.Join(' ', args)}: exit {result.ExitCode}: {result.StdoutLines.FirstOrDefault() ?? result.StderrLines.FirstOrDefault()}");
        if (!result.Succeeded) throw new InvalidOperationException($"member {string.Join(' ', args)} failed:{Environment.NewLine}{result}");
    }

    private Task<MemberList> ExpectVotersAsync(string[] nodes) =>
        Deadline.RetryAsync($"voters {string.Join(",", nodes)}", StepLimit, async () =>
        {
            var list = await MemberList.ReadAsync(StepLimit);
            return list.Voters.Select(m => m.Node).Order().SequenceEqual(nodes) && list.Members.Count == nodes.Length
                ? (list, "")
                : ((MemberList?)null, $"members are {string.Join(", ", list.Members.Select(m => $"{m.Peer} {m.Role}"))}");
        });

    private Task<MemberList> ExpectVotersCountAsync(int voters, bool responsive = false) =>
        Deadline.RetryAsync($"{voters} voters", StepLimit, async () =>
        {
            var list = await MemberList.ReadAsync(StepLimit);
            return list.Voters.Count() == voters && list.Members.Count == voters && (!responsive || list.Members.All(m => m.Responsive == "yes"))
                ? (list, "")
                : ((MemberList?)null, $"members are {string.Join(", ", list.Members.Select(m => $"{m.Peer} {m.Role} {m.Responsive}"))}");
        });
}
