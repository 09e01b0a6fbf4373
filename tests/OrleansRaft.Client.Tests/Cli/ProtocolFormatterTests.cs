using OrleansRaft.Cli.Errors;
using OrleansRaft.Cli.Operations;
using OrleansRaft.Cli.Output;

namespace OrleansRaft.Client.Tests.Cli;

public class ProtocolFormatterTests
{
    [Fact]
    public void Each_outcome_has_its_line()
    {
        Assert.Equal("OK", ProtocolFormatter.Format(KvOutcome.Ok));
        Assert.Equal("NIL", ProtocolFormatter.Format(KvOutcome.Nil));
        Assert.Equal("SWAPPED", ProtocolFormatter.Format(KvOutcome.Swapped));
        Assert.Equal("VALUE v", ProtocolFormatter.Format(KvOutcome.Found("v")));
        Assert.Equal("NOT-SWAPPED cur", ProtocolFormatter.Format(KvOutcome.NotSwapped("cur")));
        Assert.Equal("NOT-SWAPPED NIL", ProtocolFormatter.Format(KvOutcome.NotSwapped(null)));
    }

    [Fact]
    public void Values_are_quoted_when_they_need_it()
    {
        Assert.Equal("VALUE \"a b\"", ProtocolFormatter.Format(KvOutcome.Found("a b")));
        Assert.Equal("VALUE \"\"", ProtocolFormatter.Format(KvOutcome.Found("")));
        Assert.Equal("VALUE \"NIL\"", ProtocolFormatter.Format(KvOutcome.Found("NIL")));
        Assert.Equal("NOT-SWAPPED \"NIL\"", ProtocolFormatter.Format(KvOutcome.NotSwapped("NIL")));
        Assert.Equal("VALUE \"x\\ny\"", ProtocolFormatter.Format(KvOutcome.Found("x\ny")));
    }

    [Fact]
    public void Errors_are_one_line_with_their_code()
    {
        var error = new CliError(CliError.TimeoutCode, "no answer\nwithin 10s", ExitCodes.Unavailable);
        Assert.Equal("ERR timeout no answer within 10s", ProtocolFormatter.Format(KvOutcome.Failed(error)));
    }
}
