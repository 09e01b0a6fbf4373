using OrleansRaft.Cli.Arguments;
using OrleansRaft.Cli.Operations;
using OrleansRaft.Cli.Shell;

namespace OrleansRaft.Client.Tests.Shell;

public class ShellLineParserTests
{
    [Theory]
    [InlineData("SET k v")]
    [InlineData("set k v")]
    [InlineData("SeT k v")]
    public void Verbs_are_case_insensitive(string line)
    {
        Assert.Equal(new KvOperation(KvVerb.Set, "k", "v"), ShellLineParser.Parse(line));
    }

    [Fact]
    public void Each_command_builds_its_operation()
    {
        Assert.Equal(new KvOperation(KvVerb.Get, "k"), ShellLineParser.Parse("GET k"));
        Assert.Equal(new KvOperation(KvVerb.Delete, "k"), ShellLineParser.Parse("DEL k"));
        Assert.Equal(new KvOperation(KvVerb.Delete, "k"), ShellLineParser.Parse("delete k"));
        Assert.Equal(new KvOperation(KvVerb.Append, "k", "more text"), ShellLineParser.Parse("APPEND k \"more text\""));
        Assert.Equal(new KvOperation(KvVerb.CompareAndSet, "k", "new", Expected: "old"), ShellLineParser.Parse("CAS k old new"));
    }

    [Fact]
    public void Bare_NIL_expects_absence_and_quoted_NIL_expects_the_string()
    {
        Assert.Null(ShellLineParser.Parse("CAS k NIL v").Expected);
        Assert.Equal("NIL", ShellLineParser.Parse("CAS k \"NIL\" v").Expected);
        Assert.Equal("nil", ShellLineParser.Parse("CAS k nil v").Expected);
    }

    [Fact]
    public void Get_reads_stale_when_asked_on_the_line_or_by_default()
    {
        Assert.False(ShellLineParser.Parse("GET k").Stale);
        Assert.True(ShellLineParser.Parse("GET k --stale").Stale);
        Assert.True(ShellLineParser.Parse("GET k", staleByDefault: true).Stale);
        Assert.Equal("--stale", ShellLineParser.Parse("GET \"--stale\"").Key);
    }

    [Theory]
    [InlineData("SET k", "expected 'set KEY VALUE' (got 1 argument)")]
    [InlineData("SET k hello world", "expected 'set KEY VALUE' (got 3 arguments; quote a value that contains spaces)")]
    [InlineData("GET", "expected 'get KEY [--stale]' (got 0 arguments)")]
    [InlineData("CAS k v", "expected 'cas KEY EXPECTED|NIL NEW' (got 2 arguments)")]
    [InlineData("DEL a b", "expected 'del KEY' (got 2 arguments")]
    [InlineData("PUT k v", "unknown command 'PUT'")]
    [InlineData("STATUS", "unknown command 'STATUS'")]
    public void Malformed_lines_are_usage_errors(string line, string message)
    {
        var e = Assert.Throws<UsageException>(() => ShellLineParser.Parse(line));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("   \t", true)]
    [InlineData("# a comment", true)]
    [InlineData("  #indented comment", true)]
    [InlineData("GET k", false)]
    public void Blank_and_comment_lines_are_skipped(string line, bool ignorable)
    {
        Assert.Equal(ignorable, ShellLineParser.IsIgnorable(line));
    }
}
