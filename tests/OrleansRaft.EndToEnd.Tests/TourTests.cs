using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests;

/// <summary>The README's tour: single commands against a running cluster, with their exact output and exit codes.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class TourTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Set_get_cas_and_del_print_one_answer_line_and_the_documented_exit_code()
    {
        await fixture.ClusterAsync();

        CliAssert.Prints(await CliRunner.RunAsync("set", "greeting", "hello world"), 0, "OK");
        CliAssert.Prints(await CliRunner.RunAsync("get", "greeting"), 0, "hello world");
        CliAssert.Prints(await CliRunner.RunAsync("cas", "greeting", "hello world", "hi"), 0, "SWAPPED");
        CliAssert.Prints(await CliRunner.RunAsync("cas", "greeting", "hello world", "hey"), 1, "NOT-SWAPPED hi");
        CliAssert.Prints(await CliRunner.RunAsync("del", "greeting"), 0, "OK");
        CliAssert.FailsWith(await CliRunner.RunAsync("get", "greeting"), 1, "^not found: greeting$");
        CliAssert.Prints(await CliRunner.RunAsync("del", "greeting"), 0, "NIL");
        CliAssert.Prints(await CliRunner.RunAsync("cas", "greeting", "NIL", "created"), 0, "SWAPPED");
    }

    [Fact]
    public async Task Status_lists_three_peers_on_three_silos_with_one_leader()
    {
        var cluster = await fixture.ClusterAsync();

        var status = await StatusPolling.UntilSettledAsync(ClusterFixture.Silos, cluster);

        Assert.Equal(["kv/0", "kv/1", "kv/2"], status.Peers.Select(p => p.Peer));
        var leader = Assert.Single(status.Leaders);
        Assert.All(status.Peers.Where(p => p != leader), p => Assert.Equal("Follower", p.Role));
        Assert.Equal([0, 1, 2], status.Peers.Select(p => p.SiloIndex()).Order());
    }
}
