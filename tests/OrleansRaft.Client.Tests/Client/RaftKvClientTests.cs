using Orleans.Runtime;
using OrleansRaft.Client.Tests.Support;
using OrleansRaft.Kv;

namespace OrleansRaft.Client.Tests.Client;

/// <summary>The typed client over a scripted facade grain: what it sends, and how it reads every answer.</summary>
public class RaftKvClientTests
{
    private readonly FakeKvGrain _grain = new();

    private IRaftKv Kv(TimeSpan? timeout = null, string clientId = "client-1") =>
        new RaftKvClient(_ => _grain, new RaftKvClientOptions
        {
            OperationTimeout = timeout ?? TimeSpan.FromSeconds(5),
            RetryBackoffInitial = TimeSpan.FromMilliseconds(1),
            RetryBackoffMax = TimeSpan.FromMilliseconds(5),
        }, TimeProvider.System, new RaftKvSession(clientId)).Group();

    [Fact]
    public async Task Get_returns_the_value_or_null()
    {
        _grain.Answer(KvStatus.Ok, "v").Answer(KvStatus.NotFound);
        var kv = Kv();
        Assert.Equal("v", await kv.GetAsync("k"));
        Assert.Null(await kv.GetAsync("k"));
    }

    [Fact]
    public async Task Get_passes_the_read_consistency()
    {
        _grain.Answer(KvStatus.Ok, "v");
        await Kv().GetAsync("k", ReadConsistency.Stale);
        Assert.Equal(ReadConsistency.Stale, _grain.Calls.Single().Consistency);
    }

    [Fact]
    public async Task Writes_carry_the_session_id_a_growing_sequence_and_the_lowest_unanswered_one()
    {
        _grain.Answer(KvStatus.Ok).Answer(KvStatus.Ok).Answer(KvStatus.Ok).Answer(KvStatus.Swapped);
        var kv = Kv();
        await kv.SetAsync("a", "1");
        await kv.AppendAsync("a", "2");
        await kv.DeleteAsync("a");
        await kv.CompareAndSetAsync("a", null, "3");
        Assert.Equal(
            [new RequestId("client-1", 1, 1), new RequestId("client-1", 2, 2), new RequestId("client-1", 3, 3), new RequestId("client-1", 4, 4)],
            _grain.Calls.Select(c => c.RequestId));
    }

    [Fact]
    public void Every_client_instance_is_a_new_random_session()
    {
        var a = new RaftKvClient(FakeGrainFactory.Create());
        var b = new RaftKvClient(FakeGrainFactory.Create());
        Assert.NotEqual(a.ClientId, b.ClientId);
        Assert.Equal(32, a.ClientId.Length);
    }

    [Fact]
    public async Task A_retried_write_keeps_its_request_id()
    {
        _grain.Answer(KvStatus.Unavailable).Throw(new SiloUnavailableException("gone")).Answer(KvStatus.Timeout).Answer(KvStatus.Ok);
        await Kv().SetAsync("k", "v");
        Assert.Equal(4, _grain.Calls.Count);
        Assert.All(_grain.Calls, c => Assert.Equal(new RequestId("client-1", 1, 1), c.RequestId));
    }

    [Fact]
    public async Task Delete_tells_whether_the_key_existed()
    {
        _grain.Answer(KvStatus.Ok).Answer(KvStatus.NotFound);
        var kv = Kv();
        Assert.True(await kv.DeleteAsync("k"));
        Assert.False(await kv.DeleteAsync("k"));
    }

    [Fact]
    public async Task Compare_and_set_reports_the_swap_or_the_current_value()
    {
        _grain.Answer(KvStatus.Swapped).Answer(KvStatus.NotSwapped, "other").Answer(KvStatus.NotSwapped);
        var kv = Kv();
        Assert.Equal(new CasResult(true, "new"), await kv.CompareAndSetAsync("k", "old", "new"));
        Assert.Equal(new CasResult(false, "other"), await kv.CompareAndSetAsync("k", "old", "new"));
        Assert.Equal(new CasResult(false, null), await kv.CompareAndSetAsync("k", "old", "new"));
        Assert.Equal("old", _grain.Calls[0].Expected);
    }

    [Theory]
    [InlineData(KvStatus.InvalidArgument)]
    [InlineData(KvStatus.UnknownGroup)]
    public async Task Errors_that_would_repeat_are_thrown_at_once(KvStatus status)
    {
        _grain.Answer(status, error: "value is 70000 bytes");
        var e = await Assert.ThrowsAsync<RaftKvException>(() => Kv().SetAsync("k", "v"));
        Assert.Equal(status, e.Code);
        Assert.Equal("kv", e.Group);
        Assert.False(e.OutcomeUnknown);
        Assert.Contains("value is 70000 bytes", e.Message);
        Assert.Single(_grain.Calls);
    }

    [Fact]
    public async Task A_group_without_leader_until_the_deadline_is_unavailable_and_nothing_was_applied()
    {
        _grain.Answer(KvStatus.Unavailable, error: "no leader");
        var e = await Assert.ThrowsAsync<RaftKvUnavailableException>(() => Kv(TimeSpan.FromMilliseconds(200)).SetAsync("k", "v"));
        Assert.False(e.OutcomeUnknown);
        Assert.Contains("no leader", e.Message);
        Assert.True(_grain.Calls.Count > 1);
    }

    [Fact]
    public async Task A_write_that_timed_out_has_an_unknown_outcome()
    {
        _grain.Answer(KvStatus.Timeout);
        var e = await Assert.ThrowsAsync<RaftKvTimeoutException>(() => Kv(TimeSpan.FromMilliseconds(200)).SetAsync("k", "v"));
        Assert.True(e.OutcomeUnknown);
        Assert.Contains("may or may not have been applied", e.Message);
    }

    [Fact]
    public async Task Once_an_attempt_may_have_applied_later_failures_keep_the_outcome_unknown()
    {
        _grain.Answer(KvStatus.Timeout).Answer(KvStatus.Unavailable);
        var e = await Assert.ThrowsAsync<RaftKvUnavailableException>(() => Kv(TimeSpan.FromMilliseconds(200)).SetAsync("k", "v"));
        Assert.True(e.OutcomeUnknown);
    }

    [Fact]
    public async Task A_read_that_timed_out_has_no_outcome_to_be_unsure_of()
    {
        _grain.Answer(KvStatus.Timeout);
        var e = await Assert.ThrowsAsync<RaftKvTimeoutException>(() => Kv(TimeSpan.FromMilliseconds(200)).GetAsync("k"));
        Assert.False(e.OutcomeUnknown);
    }

    [Fact]
    public async Task A_hung_call_is_cut_at_the_deadline_as_a_timeout()
    {
        _grain.Hang();
        var e = await Assert.ThrowsAsync<RaftKvTimeoutException>(() => Kv(TimeSpan.FromMilliseconds(100)).AppendAsync("k", "v"));
        Assert.True(e.OutcomeUnknown);
        Assert.Single(_grain.Calls);
    }

    [Fact]
    public async Task A_lost_silo_until_the_deadline_is_unavailable_with_the_cause_attached()
    {
        _grain.Throw(new SiloUnavailableException("silo S1 is dead"));
        var e = await Assert.ThrowsAsync<RaftKvUnavailableException>(() => Kv(TimeSpan.FromMilliseconds(100)).GetAsync("k"));
        Assert.IsType<SiloUnavailableException>(e.InnerException);
        Assert.Contains("silo S1 is dead", e.Message);
    }

    [Fact]
    public async Task Orleans_response_timeouts_until_the_deadline_are_a_timeout()
    {
        _grain.Throw(new TimeoutException("Response did not arrive on time"));
        var e = await Assert.ThrowsAsync<RaftKvTimeoutException>(() => Kv(TimeSpan.FromMilliseconds(100)).SetAsync("k", "v"));
        Assert.True(e.OutcomeUnknown);
        Assert.True(_grain.Calls.Count > 1);
    }

    [Fact]
    public async Task Over_capacity_is_retried_then_reported_as_limit()
    {
        _grain.Answer(KvStatus.LimitExceeded, error: "too many bytes in flight");
        var e = await Assert.ThrowsAsync<RaftKvException>(() => Kv(TimeSpan.FromMilliseconds(100)).SetAsync("k", "v"));
        Assert.Equal(KvStatus.LimitExceeded, e.Code);
        Assert.True(_grain.Calls.Count > 1);
    }

    [Fact]
    public async Task The_callers_cancellation_is_an_OperationCanceledException()
    {
        _grain.Hang();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Kv().SetAsync("k", "v", cancel.Token));
    }

    [Fact]
    public async Task Bugs_are_not_retried()
    {
        _grain.Throw(new InvalidOperationException("grain bug"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Kv().GetAsync("k"));
        Assert.Single(_grain.Calls);
    }

    [Fact]
    public async Task A_status_the_operation_cannot_return_is_a_protocol_error()
    {
        _grain.Answer(KvStatus.Swapped);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Kv().GetAsync("k"));
        Assert.Contains("Swapped", e.Message);
    }

    [Fact]
    public async Task Bad_arguments_fail_before_anything_is_sent()
    {
        var kv = Kv();
        await Assert.ThrowsAsync<ArgumentException>(() => kv.GetAsync(""));
        await Assert.ThrowsAsync<ArgumentException>(() => kv.SetAsync(new string('k', 1025), "v"));
        await Assert.ThrowsAsync<ArgumentNullException>(() => kv.SetAsync("k", null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => kv.DeleteAsync(null!));
        Assert.Empty(_grain.Calls);
    }

    [Fact]
    public async Task Status_returns_the_peer_list()
    {
        _grain.StatusAnswer = new PeerStatusList("kv", [null], ["down"]);
        Assert.Same(_grain.StatusAnswer, await Kv().StatusAsync());
    }

    [Fact]
    public void Groups_are_validated_and_cached()
    {
        var client = new RaftKvClient(FakeGrainFactory.Create());
        Assert.Same(client.Group("a"), client.Group("a"));
        Assert.Equal("kv", client.Group().Group);
        Assert.Throws<ArgumentException>(() => client.Group("a/b"));
    }

    [Fact]
    public void Bad_options_are_rejected_naming_the_option()
    {
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => new RaftKvClient(FakeGrainFactory.Create(), new RaftKvClientOptions { OperationTimeout = TimeSpan.Zero }));
        Assert.Contains(nameof(RaftKvClientOptions.OperationTimeout), e.Message);
    }
}
