using OrleansRaft.Cli.Arguments;
using OrleansRaft.Cli.Operations;

namespace OrleansRaft.Client.Tests.Cli;

public class ArgumentParserTests
{
    [Fact]
    public void Defaults_are_the_local_cluster_and_group_kv()
    {
        var invocation = ArgumentParser.Parse(["get", "k"]);
        Assert.Equal(CliCommand.Kv, invocation.Command);
        Assert.Equal(["127.0.0.1:30000", "127.0.0.1:30001", "127.0.0.1:30002"], invocation.Settings.Gateways.Select(g => g.ToString()));
        Assert.Equal("kv", invocation.Settings.Group);
        Assert.Equal(TimeSpan.FromSeconds(10), invocation.Settings.Timeout);
        Assert.False(invocation.Settings.Stale);
        Assert.Equal(new KvOperation(KvVerb.Get, "k"), invocation.Operation);
    }

    [Fact]
    public void Options_may_come_before_or_after_the_command_in_either_form()
    {
        var invocation = ArgumentParser.Parse(["--gateway", "127.0.0.2:40000,127.0.0.3:40001", "set", "k", "v", "--group=locks", "--timeout", "2.5"]);
        Assert.Equal(["127.0.0.2:40000", "127.0.0.3:40001"], invocation.Settings.Gateways.Select(g => g.ToString()));
        Assert.Equal("locks", invocation.Settings.Group);
        Assert.Equal(TimeSpan.FromSeconds(2.5), invocation.Settings.Timeout);
        Assert.Equal(new KvOperation(KvVerb.Set, "k", "v"), invocation.Operation);
    }

    [Fact]
    public void Stale_applies_to_get()
    {
        Assert.True(ArgumentParser.Parse(["get", "k", "--stale"]).Operation!.Stale);
        Assert.True(ArgumentParser.Parse(["--stale", "shell"]).Settings.Stale);
    }

    [Fact]
    public void Double_dash_ends_options_so_values_may_start_with_dashes()
    {
        var invocation = ArgumentParser.Parse(["set", "--", "--key", "--stale"]);
        Assert.Equal(new KvOperation(KvVerb.Set, "--key", "--stale"), invocation.Operation);
    }

    [Fact]
    public void A_single_dash_value_is_an_argument()
    {
        Assert.Equal(new KvOperation(KvVerb.Set, "n", "-1"), ArgumentParser.Parse(["set", "n", "-1"]).Operation);
    }

    [Fact]
    public void Cas_NIL_expects_absence()
    {
        Assert.Equal(new KvOperation(KvVerb.CompareAndSet, "lock", "me", Expected: null), ArgumentParser.Parse(["cas", "lock", "NIL", "me"]).Operation);
        Assert.Equal("old", ArgumentParser.Parse(["cas", "lock", "old", "me"]).Operation!.Expected);
    }

    [Theory]
    [InlineData("status", nameof(CliCommand.Status))]
    [InlineData("STATUS", nameof(CliCommand.Status))]
    [InlineData("shell", nameof(CliCommand.Shell))]
    [InlineData("help", nameof(CliCommand.Help))]
    [InlineData("--help", nameof(CliCommand.Help))]
    [InlineData("-h", nameof(CliCommand.Help))]
    public void Commands_without_arguments(string arg, string command)
    {
        Assert.Equal(command, ArgumentParser.Parse([arg]).Command.ToString());
    }

    [Fact]
    public void Help_wins_over_anything_else()
    {
        Assert.Equal(CliCommand.Help, ArgumentParser.Parse(["set", "--help"]).Command);
    }

    [Theory]
    [InlineData(new string[0], "no command given")]
    [InlineData(new[] { "frob" }, "unknown command 'frob'")]
    [InlineData(new[] { "get" }, "expected 'get KEY [--stale]' (got 0 arguments)")]
    [InlineData(new[] { "set", "k" }, "expected 'set KEY VALUE' (got 1 argument)")]
    [InlineData(new[] { "cas", "k", "a" }, "expected 'cas KEY EXPECTED|NIL NEW'")]
    [InlineData(new[] { "append", "k", "a", "b" }, "got 3 arguments")]
    [InlineData(new[] { "status", "x" }, "'status' takes no arguments (got 'x')")]
    [InlineData(new[] { "get", "k", "--verbose" }, "unknown option '--verbose'")]
    [InlineData(new[] { "get", "k", "--group" }, "option --group needs a value")]
    [InlineData(new[] { "--timeout", "--stale", "get", "k" }, "option --timeout needs a value")]
    [InlineData(new[] { "--stale=yes", "get", "k" }, "option --stale takes no value")]
    [InlineData(new[] { "--group", "a/b", "status" }, "invalid --group 'a/b'")]
    [InlineData(new[] { "--group=", "status" }, "invalid --group ''")]
    public void Bad_command_lines_are_usage_errors(string[] args, string message)
    {
        var e = Assert.Throws<UsageException>(() => ArgumentParser.Parse(args));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("", "empty gateway")]
    [InlineData("30000", "invalid gateway '30000': no port")]
    [InlineData("127.0.0.1", "invalid gateway '127.0.0.1': no port")]
    [InlineData("127.0.0.1:0", "the port must be a number from 1 to 65535")]
    [InlineData("127.0.0.1:65536", "the port must be a number from 1 to 65535")]
    [InlineData("127.0.0.1:-1", "the port must be a number from 1 to 65535")]
    [InlineData("127.0.0.1:30000,,127.0.0.1:30001", "empty gateway")]
    [InlineData("127.0.0.1:30000;127.0.0.1:30001", "unexpected ';' (separate gateways with commas)")]
    [InlineData("127.0.0.1:30000 127.0.0.1:30001", "unexpected ' ' (separate gateways with commas)")]
    [InlineData(":30000", "no host before the port")]
    [InlineData("127.0.0.256:30000", "'127.0.0.256' is not an IPv4 address")]
    [InlineData("10.1:30000", "'10.1' is not an IPv4 address")]
    [InlineData("0.0.0.0:30000", "0.0.0.0 is not an address to connect to")]
    [InlineData("::1:30000", "write an IPv6 address in brackets")]
    [InlineData("[127.0.0.1]:30000", "only an IPv6 address goes in brackets")]
    [InlineData("[::1]30000", "invalid gateway '[::1]30000'")]
    [InlineData("bad_host!:30000", "'bad_host!' is neither an IP address nor a host name")]
    [InlineData("127.0.0.2:30000,127.0.0.2:30000", "gateway 127.0.0.2:30000 is listed twice")]
    public void Bad_gateway_lists_are_rejected_naming_the_option_and_the_fault(string gateways, string reason)
    {
        var e = Assert.Throws<UsageException>(() => ArgumentParser.Parse(["--gateway", gateways, "get", "k"]));
        Assert.StartsWith("--gateway: ", e.Message);
        Assert.Contains(reason, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Gateway_lists_may_have_spaces_host_names_and_ipv6_and_gateways_is_the_same_option()
    {
        var gateways = ArgumentParser.Parse(["--gateways", " 127.0.0.2:1, raft-1.example:65535 ,[::1]:30000", "status"]).Settings.Gateways;
        Assert.Equal(["127.0.0.2:1", "raft-1.example:65535", "[::1]:30000"], gateways.Select(g => g.ToString()));
        Assert.Equal(new GatewayAddress("::1", 30000), gateways[2]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("abc")]
    [InlineData("NaN")]
    [InlineData("1e3")]
    [InlineData("86401")]
    public void Bad_timeouts_are_rejected(string seconds)
    {
        Assert.Throws<UsageException>(() => ArgumentParser.ParseTimeout(seconds));
    }

    [Fact]
    public void Timeouts_are_seconds_with_an_invariant_decimal_point()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(250), ArgumentParser.ParseTimeout("0.25"));
    }
}
