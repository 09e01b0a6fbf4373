using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests;

/// <summary>The silo host's own refusals, run as a user would run <c>silo run</c> next to a running cluster.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SiloHostTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_second_silo_on_the_ports_of_a_running_one_refuses_to_start_in_one_line()
    {
        await fixture.ClusterAsync();
        var otherData = Path.Combine(fixture.RootDirectory, "second-cluster");

        var result = await SiloRunner.RunAsync("run", "--index", "0", "--silos", "3", "--data", otherData);

        CliAssert.FailsWith(result, 1, "^silo: silo 0 could not start: its silo port 11111 on 127\\.0\\.0\\.1 is in use");
    }

    [Fact]
    public async Task A_usage_mistake_prints_the_reason_and_the_usage_and_exits_2()
    {
        var result = await SiloRunner.RunAsync("cluster", "--silos", "0");

        Assert.True(result.ExitCode == 2 && result.Stdout.Length == 0, result.ToString());
        Assert.Equal("silo: --silos must be a whole number from 1 to 16 (was '0')", result.StderrLines[0]);
        Assert.StartsWith("usage: silo run --index N", result.StderrLines[1]);
        Assert.DoesNotContain("   at ", result.Stderr);
    }
}
