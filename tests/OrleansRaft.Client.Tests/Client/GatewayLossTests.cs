using OrleansRaft.Client.Tests.Support;
using OrleansRaft.Kv;

namespace OrleansRaft.Client.Tests.Client;

/// <summary>A request in flight through a gateway that dies never gets an answer: the client must not wait for its
/// deadline, but retry at once through the gateways that remain, with the same request id.</summary>
public class GatewayLossTests
{
    private readonly FakeKvGrain _grain = new();
    private readonly GatewayLossSignal _signal = new();

    private IRaftKv Kv(TimeSpan timeout) =>
        new RaftKvClient(_ => _grain, new RaftKvClientOptions
        {
            OperationTimeout = timeout,
            RetryBackoffInitial = TimeSpan.FromMilliseconds(1),
            RetryBackoffMax = TimeSpan.FromMilliseconds(5),
        }, TimeProvider.System, new RaftKvSession("client-1"), _signal).Group();

    [Fact]
    public async Task A_write_hung_on_a_lost_gateway_is_retried_at_once_with_its_request_id()
    {
        _grain.Hang().Answer(KvStatus.Ok);
        var write = Kv(TimeSpan.FromMinutes(5)).SetAsync("k", "v");
        await WaitForCallsAsync(1);
        Assert.False(write.IsCompleted);

        _signal.NotifyGatewayCountChanged(2, 3, connectionRecovered: false);

        await write.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, _grain.Calls.Count);
        Assert.Equal(_grain.Calls[0].RequestId, _grain.Calls[1].RequestId);
    }

    [Fact]
    public async Task A_read_hung_when_the_last_gateway_is_lost_is_retried_too()
    {
        _grain.Hang().Answer(KvStatus.Ok, "v");
        var read = Kv(TimeSpan.FromMinutes(5)).GetAsync("k");
        await WaitForCallsAsync(1);

        _signal.NotifyClusterConnectionLost();

        Assert.Equal("v", await read.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, _grain.Calls.Count);
    }

    [Fact]
    public async Task A_new_gateway_does_not_disturb_requests_in_flight()
    {
        _grain.Hang();
        var write = Kv(TimeSpan.FromMilliseconds(300)).SetAsync("k", "v");
        await WaitForCallsAsync(1);

        _signal.NotifyGatewayCountChanged(3, 2, connectionRecovered: false);

        var error = await Assert.ThrowsAsync<RaftKvTimeoutException>(() => write.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(error.OutcomeUnknown);
        Assert.Single(_grain.Calls);
    }

    [Fact]
    public void Every_loss_cancels_the_token_handed_out_before_it_and_only_that()
    {
        var first = _signal.Token;
        _signal.NotifyGatewayCountChanged(1, 2, connectionRecovered: false);
        var second = _signal.Token;
        Assert.True(first.IsCancellationRequested);
        Assert.False(second.IsCancellationRequested);
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
