using OrleansRaft.Cli.Arguments;
using OrleansRaft.Cli.Shell;

namespace OrleansRaft.Client.Tests.Shell;

public class ShellQuotingTests
{
    private static string[] Texts(string line) => ShellQuoting.Split(line).Select(w => w.Text).ToArray();

    [Fact]
    public void Bare_words_are_split_on_spaces_and_tabs()
    {
        Assert.Equal(["SET", "k", "v"], Texts("  SET \tk   v  "));
        Assert.Empty(Texts("   "));
    }

    [Fact]
    public void Bare_words_keep_backslashes_literally()
    {
        Assert.Equal([@"C:\dir\n"], Texts(@"C:\dir\n"));
    }

    [Fact]
    public void Quoted_word_keeps_spaces_and_reports_that_it_was_quoted()
    {
        var words = ShellQuoting.Split("SET k \"hello  world\"");
        Assert.Equal(new ShellWord("hello  world", Quoted: true), words[2]);
        Assert.False(words[1].Quoted);
    }

    [Fact]
    public void Empty_quotes_are_the_empty_string()
    {
        Assert.Equal(["SET", "k", ""], Texts("SET k \"\""));
    }

    [Theory]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("\"a\\\\b\"", "a\\b")]
    [InlineData("\"line1\\nline2\"", "line1\nline2")]
    [InlineData("\"\\r\\t\"", "\r\t")]
    [InlineData("\"\\u00e9t\\u00C9\"", "étÉ")]
    public void Escapes_inside_quotes(string word, string expected)
    {
        Assert.Equal([expected], Texts(word));
    }

    [Theory]
    [InlineData("SET k \"abc", "unterminated quote starting at column 7")]
    [InlineData("SET k \"abc\\", "unterminated quote starting at column 7")]
    [InlineData("SET k ab\"c\"", "unexpected '\"' at column 9")]
    [InlineData("SET k \"ab\"c", "a closing quote must end the word (column 11)")]
    [InlineData("SET k \"a\\qb\"", "unknown escape '\\q'")]
    [InlineData("SET k \"\\u12\"", "unknown escape '\\u'")]
    public void Malformed_quoting_is_a_usage_error(string line, string message)
    {
        var e = Assert.Throws<UsageException>(() => ShellQuoting.Split(line));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("a-b_c.d:e/f")]
    [InlineData("nil")]
    [InlineData("héllo😀")]
    public void Quote_leaves_simple_values_bare(string value)
    {
        Assert.Equal(value, ShellQuoting.Quote(value));
    }

    [Theory]
    [InlineData("", "\"\"")]
    [InlineData("NIL", "\"NIL\"")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("two\nlines", "\"two\\nlines\"")]
    [InlineData("bell\u0007", "\"bell\\u0007\"")]
    public void Quote_quotes_values_that_would_not_read_back_as_one_bare_word(string value, string quoted)
    {
        Assert.Equal(quoted, ShellQuoting.Quote(value));
    }

    [Fact]
    public void Quote_escapes_half_a_surrogate_pair_but_not_a_whole_one()
    {
        // Built in code: a lone surrogate does not survive being stored in an attribute.
        Assert.Equal("\"a\\ud800\"", ShellQuoting.Quote("a" + (char)0xD800));
        Assert.Equal("\"\\udc00b\"", ShellQuoting.Quote((char)0xDC00 + "b"));
        Assert.Equal("\ud83d\ude00", ShellQuoting.Quote("\ud83d\ude00"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("NIL")]
    [InlineData("  leading and trailing  ")]
    [InlineData("tab\there")]
    [InlineData("quote\" and \\ backslash")]
    [InlineData("multi\r\nline\n")]
    [InlineData("emoji 😀")]
    [InlineData("control \u0001\u001f\u007f")]
    public void Every_quoted_value_reads_back_as_itself(string value)
    {
        AssertRoundTrip(value);
    }

    [Fact]
    public void A_lone_surrogate_reads_back_as_itself()
    {
        AssertRoundTrip("lone " + (char)0xDC00 + " surrogate");
    }

    private static void AssertRoundTrip(string value)
    {
        var words = ShellQuoting.Split("VALUE " + ShellQuoting.Quote(value));
        Assert.Equal(2, words.Count);
        Assert.Equal(value, words[1].Text);
    }
}
