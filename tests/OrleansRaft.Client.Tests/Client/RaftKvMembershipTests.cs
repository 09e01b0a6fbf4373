using Orleans.Runtime;
using OrleansRaft.Client.Tests.Support;
using OrleansRaft.Membership;

namespace OrleansRaft.Client.Tests.Client;

/// <summary>Membership and leadership through the typed client: what it sends, which answers it retries (only those
/// that say nothing changed), and the typed exception of every refusal.</summary>
public class RaftKvMembershipTests
{
    private readonly FakeKvGrain _grain = new();
    private readonly GatewayLossSignal _signal = new();

    private IRaftKv Kv(TimeSpan? timeout = null) =>
        new RaftKvClient(_ => _grain, new RaftKvClientOptions
        {
            OperationTimeout = timeout ?? TimeSpan.FromSeconds(5),
            RetryBackoffInitial = TimeSpan.FromMilliseconds(1),
            RetryBackoffMax = TimeSpan.FromMilliseconds(5),
        }, TimeProvider.System, new RaftKvSession("client-1"), _signal).Group();

    /// <summary>Every change, by name, for the theories: each must behave the same way.</summary>
    private static readonly Dictionary<string, Func<IRaftKv, Task<GroupMembership>>> Changes = new()
    {
        ["add"] = kv => kv.AddMemberAsync("node3"),
        ["add-learner"] = kv => kv.AddMemberAsync("node3", asLearner: true),
        ["promote"] = kv => kv.PromoteMemberAsync("node3"),
        ["remove"] = kv => kv.RemoveMemberAsync("node3"),
        ["transfer"] = kv => kv.TransferLeadershipAsync("node1"),
        ["transfer-any"] = kv => kv.TransferLeadershipAsync(),
    };

    public static TheoryData<string> ChangeNames => [.. Changes.Keys];

    /// <summary>The answers that refuse: nothing changed, and asking again at once would be refused again.</summary>
    private static readonly MembershipOutcome[] RefusalOutcomes =
    [
        MembershipOutcome.InvalidArgument, MembershipOutcome.UnknownGroup, MembershipOutcome.NotAMember, MembershipOutcome.AlreadyMember,
        MembershipOutcome.LastVoter, MembershipOutcome.ChangePending, MembershipOutcome.LearnerBehind, MembershipOutcome.WouldLoseQuorum,
        MembershipOutcome.InvalidTarget,
    ];

    public static TheoryData<MembershipOutcome> Refusals => [.. RefusalOutcomes];

    [Fact]
    public void Every_outcome_is_success_a_refusal_timeout_or_unavailable()
    {
        // A new outcome must be placed in one of these classes (and get a CLI code): this test fails until it is.
        var classified = RefusalOutcomes.Concat([MembershipOutcome.Ok, MembershipOutcome.Timeout, MembershipOutcome.Unavailable]);
        Assert.Equal(Enum.GetValues<MembershipOutcome>().Order(), classified.Order());
    }

    [Fact]
    public async Task List_returns_the_leaders_view()
    {
        var members = FakeKvGrain.Members();
        _grain.AnswerMembership(MembershipOutcome.Ok, members);
        Assert.Same(members, await Kv().ListMembersAsync());
        Assert.Equal([new KvCall("ListMembers", null)], _grain.Calls);
    }

    [Fact]
    public async Task Each_change_sends_its_node_and_returns_the_group_after_it()
    {
        var after = FakeKvGrain.Members() with { ConfigIndex = 12 };
        _grain.AnswerMembership(MembershipOutcome.Ok, after);
        var kv = Kv();
        Assert.Same(after, await kv.AddMemberAsync("node3"));
        Assert.Same(after, await kv.AddMemberAsync("node4", asLearner: true));
        Assert.Same(after, await kv.PromoteMemberAsync("node4"));
        Assert.Same(after, await kv.RemoveMemberAsync("node2"));
        Assert.Same(after, await kv.TransferLeadershipAsync("node1"));
        Assert.Same(after, await kv.TransferLeadershipAsync());
        Assert.Equal(
        [
            new KvCall("AddMember", "node3", AsLearner: false),
            new KvCall("AddMember", "node4", AsLearner: true),
            new KvCall("PromoteMember", "node4"),
            new KvCall("RemoveMember", "node2"),
            new KvCall("TransferLeadership", "node1"),
            new KvCall("TransferLeadership", null),
        ], _grain.Calls);
        Assert.All(_grain.Calls, c => Assert.Null(c.RequestId));
    }

    [Fact]
    public async Task Empty_node_names_fail_before_anything_is_sent()
    {
        var kv = Kv();
        await Assert.ThrowsAsync<ArgumentNullException>(() => kv.AddMemberAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => kv.PromoteMemberAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => kv.RemoveMemberAsync(null!));
        foreach (var node in new[] { "", " ", "\t\n" })
        {
            Assert.Equal("node", (await Assert.ThrowsAsync<ArgumentException>(() => kv.AddMemberAsync(node, asLearner: true))).ParamName);
            await Assert.ThrowsAsync<ArgumentException>(() => kv.PromoteMemberAsync(node));
            await Assert.ThrowsAsync<ArgumentException>(() => kv.RemoveMemberAsync(node));
            await Assert.ThrowsAsync<ArgumentException>(() => kv.TransferLeadershipAsync(node));
        }
        Assert.Empty(_grain.Calls);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refusal_is_thrown_at_once_with_its_outcome_and_reason(MembershipOutcome outcome)
    {
        var current = FakeKvGrain.Members();
        _grain.AnswerMembership(outcome, current, error: "node3 is 5012 entries behind the leader");
        var e = await Assert.ThrowsAsync<RaftMembershipException>(() => Kv().PromoteMemberAsync("node3"));
        Assert.Equal(outcome, e.Code);
        Assert.Equal("kv", e.Group);
        Assert.False(e.OutcomeUnknown);
        Assert.Same(current, e.Membership);
        Assert.Equal("promote node3 refused by group 'kv': node3 is 5012 entries behind the leader", e.Message);
        Assert.Single(_grain.Calls);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refusal_of_the_listing_is_thrown_at_once_too(MembershipOutcome outcome)
    {
        _grain.AnswerMembership(outcome);
        Assert.Equal(outcome, (await Assert.ThrowsAsync<RaftMembershipException>(() => Kv().ListMembersAsync())).Code);
        Assert.Single(_grain.Calls);
    }

    [Theory]
    [InlineData(MembershipOutcome.NotAMember, "remove node9 refused by group 'kv': node9 hosts no member of the group")]
    [InlineData(MembershipOutcome.LastVoter, "remove node9 refused by group 'kv': it is the group's last voter, and a group without voters can never commit again")]
    [InlineData(MembershipOutcome.ChangePending, "remove node9 refused by group 'kv': another membership change or leadership transfer is under way; retry when it is done")]
    [InlineData(MembershipOutcome.WouldLoseQuorum, "remove node9 refused by group 'kv': the voters the leader hears from would no longer be a majority")]
    public async Task A_refusal_without_a_message_is_described(MembershipOutcome outcome, string message)
    {
        _grain.AnswerMembership(outcome);
        Assert.Equal(message, (await Assert.ThrowsAsync<RaftMembershipException>(() => Kv().RemoveMemberAsync("node9"))).Message);
    }

    [Theory]
    [MemberData(nameof(ChangeNames))]
    public async Task A_change_the_group_timed_out_is_not_retried_and_may_have_taken_effect(string change)
    {
        _grain.AnswerMembership(MembershipOutcome.Timeout, error: "no commit within 5s");
        var e = await Assert.ThrowsAsync<RaftMembershipException>(() => Changes[change](Kv()));
        Assert.Equal(MembershipOutcome.Timeout, e.Code);
        Assert.True(e.OutcomeUnknown);
        Assert.Contains("did not answer in time: no commit within 5s", e.Message);
        Assert.Contains("may or may not have taken effect (list the members to see)", e.Message);
        Assert.Single(_grain.Calls);
    }

    [Fact]
    public async Task A_transfer_that_timed_out_says_the_transfer_may_have_happened()
    {
        _grain.AnswerMembership(MembershipOutcome.Timeout);
        var e = await Assert.ThrowsAsync<RaftMembershipException>(() => Kv().TransferLeadershipAsync("node1"));
        Assert.Equal("transfer leadership to node1: group 'kv' did not answer in time: timed out; the transfer may or may not have taken effect (list the members to see)", e.Message);
    }

    [Theory]
    [MemberData(nameof(ChangeNames))]
    public async Task A_change_is_retried_while_the_group_says_nothing_changed(string change)
    {
        var after = FakeKvGrain.Members();
        _grain.AnswerMembership(MembershipOutcome.Unavailable).AnswerMembership(MembershipOutcome.Unavailable).AnswerMembership(MembershipOutcome.Ok, after);
        Assert.Same(after, await Changes[change](Kv()));
        Assert.Equal(3, _grain.Calls.Count);
        Assert.Single(_grain.Calls.Distinct());
    }

    [Fact]
    public async Task Unavailable_until_the_deadline_is_unavailable_and_nothing_changed()
    {
        _grain.AnswerMembership(MembershipOutcome.Unavailable, error: "node3 has no running silo");
        var e = await Assert.ThrowsAsync<RaftMembershipException>(() => Kv(TimeSpan.FromMilliseconds(200)).AddMemberAsync("node3"));
        Assert.Equal(MembershipOutcome.Unavailable, e.Code);
        Assert.False(e.OutcomeUnknown);
        Assert.Equal("add node3: group 'kv' is unavailable: node3 has no running silo (gave up after 0.2s)", e.Message);
        Assert.True(_grain.Calls.Count > 1);
    }

    [Theory]
    [MemberData(nameof(ChangeNames))]
    public async Task A_change_whose_connection_broke_is_not_retried_and_may_have_taken_effect(string change)
    {
        _grain.ThrowMembership(new SiloUnavailableException("silo S1 is dead")).AnswerMembership(MembershipOutcome.Ok, FakeKvGrain.Members());
        var e = await Assert.ThrowsAsync<RaftMembershipException>(() => Changes[change](Kv()));
        Assert.Equal(MembershipOutcome.Unavailable, e.Code);
        Assert.True(e.OutcomeUnknown);
        Assert.IsType<SiloUnavailableException>(e.InnerException);
        Assert.Contains("silo S1 is dead", e.Message);
        Assert.Contains("may or may not have taken effect", e.Message);
        Assert.Single(_grain.Calls);
    }

    [Fact]
    public async Task A_change_whose_response_timed_out_in_Orleans_is_a_timeout_with_unknown_outcome()
    {
        _grain.ThrowMembership(new TimeoutException("Response did not arrive on time"));
        var e = await Assert.ThrowsAsync<RaftMembershipException>(() => Kv().RemoveMemberAsync("node2"));
        Assert.Equal(MembershipOutcome.Timeout, e.Code);
        Assert.True(e.OutcomeUnknown);
        Assert.Single(_grain.Calls);
    }

    [Fact]
    public async Task A_hung_change_is_cut_at_the_deadline_with_unknown_outcome()
    {
        _grain.HangMembership();
        var e = await Assert.ThrowsAsync<RaftMembershipException>(() => Kv(TimeSpan.FromMilliseconds(100)).AddMemberAsync("node3"));
        Assert.Equal(MembershipOutcome.Timeout, e.Code);
        Assert.True(e.OutcomeUnknown);
        Assert.Equal("add node3: no answer from group 'kv' within 0.1s; the change may or may not have taken effect (list the members to see)", e.Message);
        Assert.Single(_grain.Calls);
    }

    [Fact]
    public async Task A_change_hung_on_a_lost_gateway_is_not_sent_again()
    {
        _grain.HangMembership().AnswerMembership(MembershipOutcome.Ok, FakeKvGrain.Members());
        var change = Kv(TimeSpan.FromMinutes(5)).TransferLeadershipAsync();
        await WaitForCallsAsync(1);
        _signal.NotifyClusterConnectionLost();
        var e = await Assert.ThrowsAsync<RaftMembershipException>(() => change.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(MembershipOutcome.Unavailable, e.Code);
        Assert.True(e.OutcomeUnknown);
        Assert.Contains("a gateway connection closed", e.Message);
        Assert.Single(_grain.Calls);
    }

    [Fact]
    public async Task The_listing_is_retried_through_transport_failures_timeouts_and_a_lost_gateway()
    {
        var members = FakeKvGrain.Members();
        _grain.HangMembership().ThrowMembership(new SiloUnavailableException("gone")).AnswerMembership(MembershipOutcome.Timeout)
            .AnswerMembership(MembershipOutcome.Unavailable).AnswerMembership(MembershipOutcome.Ok, members);
        var list = Kv(TimeSpan.FromMinutes(5)).ListMembersAsync();
        await WaitForCallsAsync(1);
        _signal.NotifyGatewayCountChanged(2, 3, connectionRecovered: false);
        Assert.Same(members, await list.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(5, _grain.Calls.Count);
    }

    [Fact]
    public async Task A_listing_without_answer_is_a_timeout_with_nothing_to_be_unsure_of()
    {
        _grain.HangMembership();
        var e = await Assert.ThrowsAsync<RaftMembershipException>(() => Kv(TimeSpan.FromMilliseconds(100)).ListMembersAsync());
        Assert.Equal(MembershipOutcome.Timeout, e.Code);
        Assert.False(e.OutcomeUnknown);
        Assert.DoesNotContain("may or may not", e.Message);
    }

    [Fact]
    public async Task A_listing_on_a_lost_silo_until_the_deadline_is_unavailable_with_the_cause()
    {
        _grain.ThrowMembership(new SiloUnavailableException("silo S1 is dead"));
        var e = await Assert.ThrowsAsync<RaftMembershipException>(() => Kv(TimeSpan.FromMilliseconds(100)).ListMembersAsync());
        Assert.Equal(MembershipOutcome.Unavailable, e.Code);
        Assert.False(e.OutcomeUnknown);
        Assert.IsType<SiloUnavailableException>(e.InnerException);
        Assert.True(_grain.Calls.Count > 1);
    }

    [Fact]
    public async Task Ok_without_a_membership_is_a_protocol_error()
    {
        _grain.AnswerMembership(MembershipOutcome.Ok);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Kv().ListMembersAsync());
        Assert.Contains("no membership", e.Message);
    }

    [Fact]
    public async Task Bugs_are_not_retried()
    {
        _grain.ThrowMembership(new InvalidOperationException("grain bug"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Kv().ListMembersAsync());
        Assert.Single(_grain.Calls);
    }

    [Fact]
    public async Task The_callers_cancellation_is_an_OperationCanceledException()
    {
        _grain.HangMembership();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Kv().AddMemberAsync("node3", cancellationToken: cancel.Token));
    }

    [Fact]
    public void A_success_is_not_an_exception()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RaftMembershipException(MembershipOutcome.Ok, "kv", "fine"));
    }

    private async Task WaitForCallsAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            lock (_grain.Calls) if (_grain.Calls.Count >= count) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the client made fewer than {count} calls");
            await Task.Delay(5);
        }
    }
}
