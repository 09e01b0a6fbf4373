using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests;

/// <summary>Mistakes get one line on stderr (<c>error: CODE: message</c>) and a non-zero exit code, never a stack trace.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class BadInputTests(ClusterFixture fixture)
{
    public static TheoryData<string[], string> UsageMistakes => new()
    {
        { ["set", "", "value"], "^error: invalid-argument: The key must not be empty\\.$" },
        { ["get", new string('k', 1025)], "^error: invalid-argument: The key is 1025 UTF-8 bytes; the limit is 1024\\.$" },
        { ["frobnicate", "k"], "^error: usage: unknown command 'frobnicate'" },
        { ["set", "only-a-key"], "^error: usage: expected 'set KEY VALUE' \\(got 1 argument\\)$" },
        { ["get", "k", "--timeout", "soon"], "^error: usage: invalid --timeout 'soon'" },
        { ["--gateway", "30000", "get", "k"], "^error: usage: --gateway: invalid gateway '30000': no port; expected host:port" },
        { ["--gateway", "127.0.0.2:30000;127.0.0.3:30000", "status"], "^error: usage: --gateway: invalid gateway '127\\.0\\.0\\.2:30000;127\\.0\\.0\\.3:30000': unexpected ';' \\(separate gateways with commas\\)" },
    };

    [Theory]
    [MemberData(nameof(UsageMistakes))]
    public async Task A_usage_mistake_is_one_line_and_exit_code_2_without_contacting_the_cluster(string[] args, string error)
    {
        CliAssert.FailsWith(await CliRunner.RunAsync(args), 2, error);
    }

    [Fact]
    public async Task An_unreachable_gateway_is_one_line_and_exit_code_3_within_the_timeout()
    {
        var result = await CliRunner.RunAsync("--gateway", "127.0.0.1:39999", "--timeout", "2", "get", "k");

        CliAssert.FailsWith(result, CliResult.Unavailable, "^error: unavailable: no OrleansRaft gateway reachable at 127\\.0\\.0\\.1:39999 within 2s");
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(20), $"took {result.Elapsed.TotalSeconds:0.0} s with --timeout 2");
    }

    [Fact]
    public async Task A_value_over_the_group_limit_is_refused_by_the_cluster_in_one_line()
    {
        await fixture.ClusterAsync();

        var result = await CliRunner.RunAsync("set", "too-big", new string('v', 64 * 1024 + 1));

        CliAssert.FailsWith(result, 2, "^error: invalid-argument: ");
        CliAssert.FailsWith(await CliRunner.RunAsync("get", "too-big"), 1, "^not found: too-big$");
    }
}
