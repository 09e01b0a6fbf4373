using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests;

/// <summary>The silo host's own refusals, run as a user would run <c>silo run</c> and <c>silo cluster</c>.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SiloHostTests(ClusterFixture fixture)
{
    public static TheoryData<string[], string> UsageMistakes => new()
    {
        { ["cluster", "--silos", "0"], "silo: --silos must be a whole number from 1 to 16 (was '0')" },
        { ["cluster", "--silos", "2"], "silo: --peers 3 needs at least 3 silos (--silos 2): each peer runs on its own node" },
        { ["cluster", "--bootstrap"], "silo: --bootstrap is for 'silo run': 'silo cluster' bootstraps the group on the first start of its data directory by itself" },
        { ["cluster", "--address", "127.0.0.2"], "silo: --address is for 'silo run': 'silo cluster' starts its silos on 127.0.0.1 as node0, node1, ..." },
        { ["run", "--silos", "3"], "silo: --silos is for 'silo cluster'; 'silo run' starts one silo" },
        { ["run", "--index", "1", "--index", "2"], "silo: --index is given twice" },
        { ["run", "--index", "16"], "silo: --index must be a whole number from 0 to 15 (was '16')" },
        { ["run", "--node", "node 1"], "silo: --node 'node 1' is not a node name: 1 to 64 characters from [A-Za-z0-9_.-]" },
        { ["run", "--node"], "silo: --node needs a value" },
        { ["run", "--address", "localhost"], "silo: --address must be an IP address, like 127.0.0.2 or 10.0.0.5 (was 'localhost')" },
        { ["run", "--address", "0.0.0.0"], "silo: --address 0.0.0.0 cannot be advertised: give the address the other silos and the clients reach this one at" },
        { ["run", "--nodes", "a,b,a"], "silo: --nodes names 'a' twice: two peers of one group on one node would fall together" },
        { ["run", "--peers", "5", "--nodes", "a,b,c"], "silo: --peers 5 and --nodes (3 nodes) disagree: --nodes gives one node per peer, so leave out --peers" },
        { ["run", "--storage", "postgres"], "silo: --clustering postgres and --storage postgres need --connection \"Host=...;Username=...;Password=...;Database=...\"" },
        { ["run", "--connection", "Host=db"], "silo: --connection is for --clustering postgres or --storage postgres; both are sqlite here" },
        { ["run", "--clustering", "postgres", "--connection", "Hots=db"], "silo: --connection is not a PostgreSQL connection string: " },
        { ["run", "--clustering", "postgres", "--connection", "Host=db", "--membership", "m"], "silo: --membership is the directory of the SQLite membership file; with --clustering postgres the membership table is in PostgreSQL" },
        { ["run", "--storage", "mysql"], "silo: --storage must be sqlite or postgres (was 'mysql')" },
    };

    [Theory]
    [MemberData(nameof(UsageMistakes))]
    public async Task A_usage_mistake_prints_the_reason_and_the_usage_and_exits_2(string[] args, string reason)
    {
        var result = await SiloRunner.RunAsync(args);

        Assert.True(result.ExitCode == 2 && result.Stdout.Length == 0, result.ToString());
        Assert.StartsWith(reason, result.StderrLines[0]);
        Assert.StartsWith("usage: silo run [--index N] [--node NAME] [--address IP]", result.StderrLines[1]);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task A_second_silo_on_the_ports_of_a_running_one_refuses_to_start_in_one_line()
    {
        await fixture.ClusterAsync();
        var otherData = Path.Combine(fixture.RootDirectory, "second-cluster", "node0");

        var result = await SiloRunner.RunAsync("run", "--index", "0", "--data", otherData);

        CliAssert.FailsWith(result, 1, "^silo: node node0 could not start: its silo port 11111 on 127\\.0\\.0\\.1 is in use");
    }

    [Fact]
    public async Task An_address_of_another_machine_is_refused_in_one_line()
    {
        var data = Path.Combine(fixture.RootDirectory, "elsewhere", "node0");

        var result = await SiloRunner.RunAsync("run", "--address", "192.0.2.10", "--data", data);

        CliAssert.FailsWith(result, 1, "^silo: node node0 could not start: --address 192\\.0\\.2\\.10 is not an address of this machine \\(");
    }

    [Fact]
    public async Task The_launcher_exits_with_code_1_naming_each_silos_end_once_none_is_left()
    {
        // Every silo fails at once: the membership database is unreachable (nothing listens on port 1).
        var data = Path.Combine(fixture.RootDirectory, "no-database");

        var result = await SiloRunner.RunAsync("cluster", "--silos", "2", "--peers", "1", "--data", data,
            "--clustering", "postgres", "--connection", "Host=127.0.0.1;Port=1;Username=nobody;Database=none");

        Assert.True(result.ExitCode == 1, result.ToString());
        var last = Assert.Single(result.StderrLines, l => l.StartsWith("[cluster] ", StringComparison.Ordinal));
        // Each names its cause: the database, or, while the collection's cluster runs, the ports it holds.
        Assert.Matches(
            "^\\[cluster\\] no silo is left running: node0 exited with code 1 \\(silo: node node0 could not start: (PostgreSQL: Failed to connect to 127\\.0\\.0\\.1:1|its silo port 11111 on 127\\.0\\.0\\.1 is in use).*\\); " +
            "node1 exited with code 1 \\(silo: node node1 could not start: (PostgreSQL: Failed to connect to 127\\.0\\.0\\.1:1|its silo port 11112 on 127\\.0\\.0\\.1 is in use).*\\)$", last);
        Assert.Equal("[cluster] all silos stopped", result.StdoutLines[^1]);
    }
}
