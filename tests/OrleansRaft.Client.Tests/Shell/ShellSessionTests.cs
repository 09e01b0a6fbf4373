using OrleansRaft.Client.Tests.Support;
using OrleansRaft.Kv;

namespace OrleansRaft.Client.Tests.Shell;

/// <summary>The shell through the whole CLI: one answer line per command, errors included, comments skipped.</summary>
public class ShellSessionTests
{
    private readonly InMemoryRaftKv _kv = new();

    private Task<CliResult> Shell(string input, params string[] options) => CliRun.RunAsync(_kv.Connector(), input, [.. options, "shell"]);

    [Fact]
    public async Task Answers_every_command_with_one_line()
    {
        var input = """
            # a session
            SET greeting "hello world"
            get greeting
            APPEND greeting !
            GET greeting

            CAS lock NIL me
            CAS lock NIL you
            CAS lock "NIL" you
            DEL lock
            DEL lock
            GET lock
            SET empty ""
            GET empty
            SET weird "NIL"
            GET weird
            """;
        var result = await Shell(input);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
        [
            "OK",
            "VALUE \"hello world\"",
            "OK",
            "VALUE \"hello world!\"",
            "SWAPPED",
            "NOT-SWAPPED me",
            "NOT-SWAPPED me",
            "OK",
            "NIL",
            "NIL",
            "OK",
            "VALUE \"\"",
            "OK",
            "VALUE \"NIL\"",
        ], result.StdoutLines);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task Errors_answer_their_line_and_the_session_goes_on()
    {
        var input = string.Join('\n',
            "SET k",
            "PUT k v",
            "SET k \"unterminated",
            "GET \"\"",
            $"GET {new string('k', 1025)}",
            "SET k v",
            "GET k");
        var result = await Shell(input);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
        [
            "ERR usage expected 'set KEY VALUE' (got 1 argument)",
            "ERR usage unknown command 'PUT': use SET, GET, DEL, CAS or APPEND",
            "ERR usage unterminated quote starting at column 7",
            "ERR invalid-argument The key must not be empty.",
            "ERR invalid-argument The key is 1025 UTF-8 bytes; the limit is 1024.",
            "OK",
            "VALUE v",
        ], result.StdoutLines);
    }

    [Fact]
    public async Task Cluster_failures_become_ERR_lines()
    {
        _kv.FailWith = new RaftKvTimeoutException("kv", "set: no answer within 1s; it may or may not have been applied", outcomeUnknown: true);
        var result = await Shell("SET k v\nGET k");
        Assert.Equal(
        [
            "ERR timeout set: no answer within 1s; it may or may not have been applied",
            "ERR timeout set: no answer within 1s; it may or may not have been applied",
        ], result.StdoutLines);
        _kv.FailWith = new RaftKvException(KvStatus.LimitExceeded, "kv", "busy");
        Assert.Equal(["ERR limit busy"], (await Shell("SET k v")).StdoutLines);
        _kv.FailWith = new RaftKvUnavailableException("kv", "no leader");
        Assert.Equal(["ERR unavailable no leader"], (await Shell("SET k v")).StdoutLines);
        _kv.FailWith = new RaftKvException(KvStatus.UnknownGroup, "kv", "no such group");
        Assert.Equal(["ERR unknown-group no such group"], (await Shell("GET k")).StdoutLines);
    }

    [Fact]
    public async Task Stale_option_makes_every_get_stale()
    {
        await Shell("GET a\nGET b", "--stale");
        await Shell("GET a\nGET b --stale");
        Assert.Equal([ReadConsistency.Stale, ReadConsistency.Stale, ReadConsistency.Linearizable, ReadConsistency.Stale], _kv.Reads);
    }

    [Fact]
    public async Task Values_printed_by_the_shell_can_be_typed_back()
    {
        var value = "tab\there, \"quotes\", back\\slash and\nnewline";
        await _kv.SetAsync("k", value);
        var printed = (await Shell("GET k")).StdoutLines.Single();
        Assert.StartsWith("VALUE ", printed);
        await Shell($"SET copy {printed["VALUE ".Length..]}");
        Assert.Equal(value, _kv.Data["copy"]);
    }

    [Fact]
    public async Task Empty_input_ends_with_exit_0_and_no_output()
    {
        Assert.Equal(new CliResult(0, "", ""), await Shell(""));
    }

    [Fact]
    public async Task Status_and_membership_are_not_shell_commands_and_the_error_says_where_they_are()
    {
        var result = await Shell("MEMBER list\nleader transfer\nstatus\nSET k v");
        Assert.Equal(
        [
            "ERR usage unknown command 'MEMBER': use SET, GET, DEL, CAS or APPEND ('member' is a command of its own: run orleansraft-client member ...)",
            "ERR usage unknown command 'leader': use SET, GET, DEL, CAS or APPEND ('leader' is a command of its own: run orleansraft-client leader ...)",
            "ERR usage unknown command 'status': use SET, GET, DEL, CAS or APPEND ('status' is a command of its own: run orleansraft-client status ...)",
            "OK",
        ], result.StdoutLines);
        Assert.Empty(_kv.MembershipCalls);
    }
}
