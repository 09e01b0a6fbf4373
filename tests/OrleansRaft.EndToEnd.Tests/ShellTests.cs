using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests;

/// <summary><c>client shell</c>: a script on standard input, exactly one answer line per command.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ShellTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_script_gets_exactly_one_line_per_command_and_errors_do_not_end_the_session()
    {
        await fixture.ClusterAsync();
        // Comments and blank lines are not commands and get no answer; everything else gets one line.
        var script = """
            # a comment
            SET shell/greeting "hello world"
            GET shell/greeting

            CAS shell/greeting "hello world" "bye \"now\""
            CAS shell/greeting nope other
            get shell/greeting
            DEL shell/greeting
            GET shell/greeting
            DEL shell/greeting
            APPEND shell/log a
            APPEND shell/log b
            GET shell/log
            CAS shell/new NIL "NIL"
            GET shell/new
            FROB shell/x
            SET shell/only-a-key
            SET "" empty-key
            GET shell/log --stale
            """;

        var result = await CliRunner.RunAsync(["shell"], script + "\n");

        CliAssert.Prints(result, 0,
            "OK",
            "VALUE \"hello world\"",
            "SWAPPED",
            "NOT-SWAPPED \"bye \\\"now\\\"\"",
            "VALUE \"bye \\\"now\\\"\"",
            "OK",
            "NIL",
            "NIL",
            "OK",
            "OK",
            "VALUE ab",
            "SWAPPED",
            "VALUE \"NIL\"",
            "ERR usage unknown command 'FROB': use SET, GET, DEL, CAS or APPEND",
            "ERR usage expected 'set KEY VALUE' (got 1 argument)",
            "ERR invalid-argument The key must not be empty.",
            "VALUE ab");
    }
}
