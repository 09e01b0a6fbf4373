using OrleansRaft.Cli.Arguments;
using OrleansRaft.Cli.Errors;
using OrleansRaft.Cli.Operations;
using OrleansRaft.Kv;

namespace OrleansRaft.Client.Tests.Cli;

public class CliErrorTests
{
    [Theory]
    [InlineData(KvStatus.Timeout, "timeout", ExitCodes.Unavailable)]
    [InlineData(KvStatus.Unavailable, "unavailable", ExitCodes.Unavailable)]
    [InlineData(KvStatus.LimitExceeded, "limit", ExitCodes.Unavailable)]
    [InlineData(KvStatus.UnknownGroup, "unknown-group", ExitCodes.Usage)]
    [InlineData(KvStatus.InvalidArgument, "invalid-argument", ExitCodes.Usage)]
    public void Kv_statuses_map_to_codes_and_exit_codes(KvStatus status, string code, int exitCode)
    {
        var error = CliError.From(new RaftKvException(status, "kv", "what happened"));
        Assert.Equal(new CliError(code, "what happened", exitCode), error);
    }

    [Fact]
    public void Typed_kv_exceptions_map_like_their_status()
    {
        Assert.Equal("timeout", CliError.From(new RaftKvTimeoutException("kv", "slow", outcomeUnknown: true)).Code);
        Assert.Equal("unavailable", CliError.From(new RaftKvUnavailableException("", "no gateway")).Code);
    }

    [Fact]
    public void Argument_errors_lose_the_parameter_suffix()
    {
        var error = CliError.From(new ArgumentException("The key must not be empty.", "key"));
        Assert.Equal(new CliError("invalid-argument", "The key must not be empty.", ExitCodes.Usage), error);
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        Assert.Equal(new CliError("usage", "bad", ExitCodes.Usage), CliError.From(new UsageException("bad")));
    }

    [Fact]
    public void Anything_else_is_internal_and_still_one_line()
    {
        var error = CliError.From(new InvalidOperationException("first\r\nsecond"));
        Assert.Equal(new CliError("internal", "InvalidOperationException: first second", ExitCodes.Internal), error);
    }

    [Fact]
    public void Exit_codes_of_single_commands()
    {
        var get = new KvOperation(KvVerb.Get, "k");
        var del = new KvOperation(KvVerb.Delete, "k");
        var cas = new KvOperation(KvVerb.CompareAndSet, "k", "v");
        Assert.Equal(0, ExitCodes.For(get, KvOutcome.Found("v")));
        Assert.Equal(1, ExitCodes.For(get, KvOutcome.Nil));
        Assert.Equal(0, ExitCodes.For(del, KvOutcome.Ok));
        Assert.Equal(0, ExitCodes.For(del, KvOutcome.Nil));
        Assert.Equal(0, ExitCodes.For(cas, KvOutcome.Swapped));
        Assert.Equal(1, ExitCodes.For(cas, KvOutcome.NotSwapped("x")));
        Assert.Equal(3, ExitCodes.For(cas, KvOutcome.Failed(CliError.From(new RaftKvTimeoutException("kv", "t", true)))));
    }
}
