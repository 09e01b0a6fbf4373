using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Tests.Paper;
using OrleansRaft.Core.Tests.Unit.Membership;

namespace OrleansRaft.Core.Tests.Unit.Rules;

/// <summary>
/// Every public entry point of the core checks its arguments before it touches any state: a missing argument is an
/// <see cref="ArgumentException"/> at the call (the caller's bug, named), never a <see cref="NullReferenceException"/>
/// from inside, and never a half-done step. One case per entry point; the node is left as it was.
/// </summary>
public sealed class ArgumentsAreCheckedFirstRuleTests
{
    private static readonly Dictionary<string, Action<RaftNode>> Calls = new()
    {
        ["new RaftNode(null)"] = node => _ = new RaftNode(null!),
        ["new RaftNode(invalid config)"] = node => _ = new RaftNode(Nodes.Config() with { ElectionTicks = 0 }),
        ["Step(null)"] = node => node.Step(null!),
        ["Propose(null)"] = node => node.Propose(null!),
        ["Advance(null)"] = node => node.Advance(null!),
        ["CreateSnapshot(data: null)"] = node => node.CreateSnapshot(1, null!),
        ["ProposeConfigChange(null)"] = node => node.ProposeConfigChange(null!),
        ["TransferLeadership(null)"] = node => node.TransferLeadership(null!),
        ["TransferLeadership(\"\")"] = node => node.TransferLeadership(" "),
        ["ConfigChange.ApplyTo(null)"] = node => MembershipRuleKit.Change("add-learner 4").ApplyTo(null!, out _),
        ["ConfigChangeCodec.Encode(null, _)"] = node => ConfigChangeCodec.Encode(null!, MembershipRuleKit.Conf("1")),
        ["ConfigChangeCodec.Encode(_, null)"] = node => ConfigChangeCodec.Encode(MembershipRuleKit.Change("add-learner 4"), null!),
        ["ConfigChangeCodec.Decode(null)"] = node => ConfigChangeCodec.Decode(null!),
        ["new Configuration(null, _)"] = node => _ = new Configuration(null!, []),
        ["new Configuration(_, null)"] = node => _ = new Configuration([], null!),
    };

    public static TheoryData<string> EntryPoints => [.. Calls.Keys];

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void AMissingArgumentIsRefusedAtTheCall(string call)
    {
        // A leader whose entry 2 is committed and applied: every call above could otherwise go some way.
        var leader = MembershipRuleKit.ReadyLeader(MembershipRuleKit.Conf("1 2 3"));
        var before = (leader.SoftState, leader.CurrentHardState, leader.LastIndex, leader.HasReady);

        var thrown = Record.Exception(() => Calls[call](leader));

        Assert.IsAssignableFrom<ArgumentException>(thrown);
        Assert.Equal(before, (leader.SoftState, leader.CurrentHardState, leader.LastIndex, leader.HasReady));
    }
}
