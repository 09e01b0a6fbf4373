using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Tests.Paper;
using OrleansRaft.Core.Tests.Unit.Membership;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// Every public entry point of the core checks its arguments before it touches any state: a missing argument is an
/// <see cref="ArgumentException"/> at the call (the caller's bug, named), never a <see cref="NullReferenceException"/>
/// from inside, and never a half-done step. The exception names the parameter (<see cref="ArgumentException.ParamName"/>,
/// the option for an invalid <see cref="RaftConfig"/>). One case per entry point; the node is left as it was.
/// </summary>
public sealed class ArgumentsAreCheckedFirstRuleTests
{
    // entry point -> (the call, the parameter it names)
    private static readonly Dictionary<string, (Action<RaftNode> Call, string Parameter)> Calls = new()
    {
        ["new RaftNode(null)"] = (node => _ = new RaftNode(null!), "config"),
        ["new RaftNode(invalid config)"] = (node => _ = new RaftNode(Nodes.Config() with { ElectionTicks = 0 }), nameof(RaftConfig.ElectionTicks)),
        ["Step(null)"] = (node => node.Step(null!), "message"),
        ["Propose(null)"] = (node => node.Propose(null!), "command"),
        ["Advance(null)"] = (node => node.Advance(null!), "ready"),
        ["CreateSnapshot(data: null)"] = (node => node.CreateSnapshot(1, null!), "data"),
        ["ProposeConfigChange(null)"] = (node => node.ProposeConfigChange(null!), "change"),
        ["TransferLeadership(null)"] = (node => node.TransferLeadership(null!), "target"),
        ["TransferLeadership(\" \")"] = (node => node.TransferLeadership(" "), "target"),
        ["ConfigChange.ApplyTo(null)"] = (node => MembershipRuleKit.Change("add-learner 4").ApplyTo(null!, out _), "current"),
        ["ConfigChangeCodec.Encode(null, _)"] = (node => ConfigChangeCodec.Encode(null!, MembershipRuleKit.Conf("1")), "change"),
        ["ConfigChangeCodec.Encode(_, null)"] = (node => ConfigChangeCodec.Encode(MembershipRuleKit.Change("add-learner 4"), null!), "result"),
        ["ConfigChangeCodec.Decode(null)"] = (node => ConfigChangeCodec.Decode(null!), "data"),
        ["new Configuration(null, _)"] = (node => _ = new Configuration(null!, []), "voters"),
        ["new Configuration(_, null)"] = (node => _ = new Configuration([], null!), "learners"),
    };

    public static TheoryData<string> EntryPoints => [.. Calls.Keys];

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void AMissingArgumentIsRefusedAtTheCall(string call)
    {
        // A leader whose entry 2 is committed and applied: every call above could otherwise go some way.
        var leader = MembershipRuleKit.ReadyLeader(MembershipRuleKit.Conf("1 2 3"));
        var before = (leader.SoftState, leader.CurrentHardState, leader.LastIndex, leader.HasReady);

        var thrown = Record.Exception(() => Calls[call].Call(leader));

        Assert.Equal(Calls[call].Parameter, Assert.IsAssignableFrom<ArgumentException>(thrown).ParamName);
        Assert.Equal(before, (leader.SoftState, leader.CurrentHardState, leader.LastIndex, leader.HasReady));
    }
}
