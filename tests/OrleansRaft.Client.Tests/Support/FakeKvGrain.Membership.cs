using OrleansRaft.Membership;

namespace OrleansRaft.Client.Tests.Support;

/// <summary>The membership half of the scripted facade grain: its own script, the same recording of calls.</summary>
internal sealed partial class FakeKvGrain
{
    private readonly Queue<Func<CancellationToken, Task<MembershipResponse>>> _membershipScript = new();
    private Func<CancellationToken, Task<MembershipResponse>> _membershipLast = _ => Task.FromResult(new MembershipResponse(MembershipOutcome.Ok, Members()));

    /// <summary>Three voters on node0..node2, kv/0 leading in term 2, nobody behind.</summary>
    public static GroupMembership Members(string group = "kv") => new(group, $"{group}/0", 2, 0,
    [
        new MemberInfo($"{group}/0", "node0", MemberRole.Voter, IsLeader: true, 7, 0, Responsive: true),
        new MemberInfo($"{group}/1", "node1", MemberRole.Voter, IsLeader: false, 7, 0, Responsive: true),
        new MemberInfo($"{group}/2", "node2", MemberRole.Voter, IsLeader: false, 7, 0, Responsive: true),
    ]);

    public FakeKvGrain AnswerMembership(MembershipOutcome outcome, GroupMembership? membership = null, string? error = null) =>
        ThenMembership(_ => Task.FromResult(new MembershipResponse(outcome, membership, error)));

    public FakeKvGrain ThrowMembership(Exception exception) => ThenMembership(_ => Task.FromException<MembershipResponse>(exception));

    /// <summary>Never answers: the call ends only when the client cancels it.</summary>
    public FakeKvGrain HangMembership() => ThenMembership(async ct =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    });

    private FakeKvGrain ThenMembership(Func<CancellationToken, Task<MembershipResponse>> step)
    {
        _membershipScript.Enqueue(step);
        _membershipLast = step;
        return this;
    }

    private Task<MembershipResponse> NextMembership(KvCall call, CancellationToken ct)
    {
        lock (Calls) Calls.Add(call);
        return (_membershipScript.TryDequeue(out var step) ? step : _membershipLast)(ct);
    }

    public Task<MembershipResponse> ListMembers(CancellationToken cancellationToken = default) =>
        NextMembership(new KvCall("ListMembers", null), cancellationToken);

    public Task<MembershipResponse> AddMember(string node, bool asLearner = false, CancellationToken cancellationToken = default) =>
        NextMembership(new KvCall("AddMember", node, AsLearner: asLearner), cancellationToken);

    public Task<MembershipResponse> PromoteMember(string node, CancellationToken cancellationToken = default) =>
        NextMembership(new KvCall("PromoteMember", node), cancellationToken);

    public Task<MembershipResponse> RemoveMember(string node, CancellationToken cancellationToken = default) =>
        NextMembership(new KvCall("RemoveMember", node), cancellationToken);

    public Task<MembershipResponse> TransferLeadership(string? node = null, CancellationToken cancellationToken = default) =>
        NextMembership(new KvCall("TransferLeadership", node), cancellationToken);
}
