using OrleansRaft.Client.Tests.Support;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Client.Tests.Cli;

/// <summary>The whole CLI in process, against an in-memory store: outputs and exit codes of every command.</summary>
public class CliAppTests
{
    private readonly InMemoryRaftKv _kv = new();
    private readonly FakeConnector _connector;

    public CliAppTests() => _connector = _kv.Connector();

    private Task<CliResult> Run(params string[] args) => CliRun.RunAsync(_connector, args);

    [Fact]
    public async Task Set_then_get_prints_OK_then_the_bare_value()
    {
        Assert.Equal(new CliResult(0, "OK\n", ""), await Run("set", "greeting", "hello world"));
        Assert.Equal(new CliResult(0, "hello world\n", ""), await Run("get", "greeting"));
    }

    [Fact]
    public async Task Get_of_a_missing_key_exits_1()
    {
        Assert.Equal(new CliResult(1, "", "not found: nope\n"), await Run("get", "nope"));
    }

    [Fact]
    public async Task Get_stale_asks_for_a_stale_read()
    {
        await Run("get", "k", "--stale");
        await Run("get", "k");
        Assert.Equal([ReadConsistency.Stale, ReadConsistency.Linearizable], _kv.Reads);
    }

    [Fact]
    public async Task Del_prints_OK_or_NIL_and_succeeds_either_way()
    {
        await Run("set", "k", "v");
        Assert.Equal(new CliResult(0, "OK\n", ""), await Run("del", "k"));
        Assert.Equal(new CliResult(0, "NIL\n", ""), await Run("del", "k"));
    }

    [Fact]
    public async Task Cas_swaps_or_exits_1_with_the_current_value()
    {
        Assert.Equal(new CliResult(0, "SWAPPED\n", ""), await Run("cas", "lock", "NIL", "me"));
        Assert.Equal(new CliResult(1, "NOT-SWAPPED me\n", ""), await Run("cas", "lock", "NIL", "you"));
        Assert.Equal(new CliResult(1, "NOT-SWAPPED me\n", ""), await Run("cas", "lock", "other", "you"));
        Assert.Equal(new CliResult(0, "SWAPPED\n", ""), await Run("cas", "lock", "me", "you"));
        Assert.Equal(new CliResult(1, "NOT-SWAPPED NIL\n", ""), await Run("cas", "absent", "x", "y"));
    }

    [Fact]
    public async Task Append_extends_the_value()
    {
        await Run("append", "log", "a");
        Assert.Equal(new CliResult(0, "OK\n", ""), await Run("append", "log", "b"));
        Assert.Equal("ab", _kv.Data["log"]);
    }

    [Fact]
    public async Task Options_reach_the_connector()
    {
        await Run("--gateway", "127.0.0.2:40000", "--group", "locks", "--timeout", "3", "get", "k");
        Assert.Equal([new GatewayAddress("127.0.0.2", 40000)], _connector.LastSettings!.Gateways);
        Assert.Equal("locks", _connector.LastSettings.Group);
        Assert.Equal(TimeSpan.FromSeconds(3), _connector.LastSettings.Timeout);
    }

    [Theory]
    [InlineData(new[] { "get", "" }, "error: invalid-argument: The key must not be empty.\n")]
    [InlineData(new[] { "frob" }, "error: usage: unknown command 'frob' (run with --help for usage)\n")]
    [InlineData(new[] { "set", "k" }, "error: usage: expected 'set KEY VALUE' (got 1 argument)\n")]
    [InlineData(new string[0], "error: usage: no command given (run with --help for usage)\n")]
    public async Task Bad_input_is_one_line_exit_2_and_never_connects(string[] args, string stderr)
    {
        Assert.Equal(new CliResult(2, "", stderr), await Run(args));
        Assert.Equal(0, _connector.Connections);
    }

    [Fact]
    public async Task A_key_over_1_KiB_is_rejected_before_connecting()
    {
        var result = await Run("set", new string('k', 1025), "v");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: invalid-argument: The key is 1025 UTF-8 bytes; the limit is 1024.\n", result.Stderr);
        Assert.Equal(0, _connector.Connections);
    }

    [Fact]
    public async Task Help_prints_the_usage_to_stdout()
    {
        var result = await Run("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("usage: orleansraft-client [options] COMMAND [ARGS]", result.Stdout);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task An_unreachable_cluster_is_one_line_and_exit_3()
    {
        _connector.Refuse = new RaftKvUnavailableException("", "no OrleansRaft gateway reachable at 127.0.0.1:30000 within 1s");
        Assert.Equal(new CliResult(3, "", "error: unavailable: no OrleansRaft gateway reachable at 127.0.0.1:30000 within 1s\n"), await Run("get", "k"));
    }

    [Fact]
    public async Task A_write_timeout_is_exit_3()
    {
        _kv.FailWith = new RaftKvTimeoutException("kv", "set: no answer from group 'kv' within 1s; it may or may not have been applied", outcomeUnknown: true);
        var result = await Run("set", "k", "v");
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("error: timeout: set: no answer from group 'kv' within 1s; it may or may not have been applied\n", result.Stderr);
    }

    [Fact]
    public async Task An_unknown_group_is_exit_2()
    {
        _kv.FailWith = new RaftKvException(KvStatus.UnknownGroup, "nope", "get rejected by group 'nope': no such group");
        Assert.Equal(2, (await Run("--group", "nope", "get", "k")).ExitCode);
    }

    [Fact]
    public async Task An_unexpected_exception_is_one_line_exit_4()
    {
        _kv.FailWith = new InvalidOperationException("boom\n   at Some.Frame()");
        Assert.Equal(new CliResult(4, "", "error: internal: InvalidOperationException: boom at Some.Frame()\n"), await Run("get", "k"));
    }

    [Fact]
    public async Task Status_prints_the_table()
    {
        _kv.Status = new PeerStatusList("kv", [new PeerStatus("kv/0", "S1", "Leader", 2, "kv/0", 5, 5, 1, 5)], [null]);
        var result = await Run("status");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            ["group kv: 1 of 1 peers answered", "PEER  SILO  ROLE    TERM  LEADER  COMMIT  APPLIED  LOG", "kv/0  S1    Leader  2     kv/0    5       5        5"],
            result.StdoutLines);
    }

    [Fact]
    public async Task Status_with_no_peer_answering_exits_3()
    {
        _kv.Status = new PeerStatusList("kv", [null, null], ["down", "down"]);
        var result = await Run("status");
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("error: no peer of group 'kv' answered\n", result.Stderr);
    }
}
