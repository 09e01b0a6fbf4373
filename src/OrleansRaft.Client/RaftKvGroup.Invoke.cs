using System.Globalization;
using Orleans.Networking.Shared;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using OrleansRaft.Kv;

namespace OrleansRaft.Client;

/// <summary>
/// The retry loop. The facade grain follows leader redirects itself, so this loop only covers what the grain
/// cannot: the silo hosting it was lost, the group has no leader yet, or it is busy. Every attempt of a write
/// carries the same request id, so retrying is always safe; the loop stops at the operation's deadline.
/// </summary>
internal sealed partial class RaftKvGroup
{
    private Task<KvResponse> InvokeAsync(string operation, bool isWrite, Func<IKvGrain, CancellationToken, Task<KvResponse>> call, CancellationToken cancellationToken) =>
        RetryAsync(operation, isWrite, call, response => response, cancellationToken);

    /// <summary>For calls without a <see cref="KvStatus"/> (status): only transport failures are retried.</summary>
    private Task<T> InvokeTransportAsync<T>(string operation, Func<IKvGrain, CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        RetryAsync(operation, isWrite: false, call, _ => null, cancellationToken);

    private async Task<T> RetryAsync<T>(
        string operation, bool isWrite, Func<IKvGrain, CancellationToken, Task<T>> call, Func<T, KvResponse?> asResponse, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_options.OperationTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var backoff = _options.RetryBackoffInitial;
        // Once an attempt may have reached the leader without an answer, a write's fate is unknown for good:
        // every later failure of the same write must say so, whatever that failure is.
        var maybeApplied = false;
        KvResponse? lastResponse = null;
        Exception? lastFailure = null;
        while (true)
        {
            var gatewayLost = _gatewayLoss?.Token ?? CancellationToken.None;
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(linked.Token, gatewayLost);
                var result = await call(_grain, attempt.Token).ConfigureAwait(false);
                var response = asResponse(result);
                if (response is null || !response.IsError) return result;
                if (response.Status == KvStatus.Timeout) maybeApplied = true;
                if (!IsRetryable(response.Status)) throw Rejected(operation, response, isWrite && maybeApplied);
                (lastResponse, lastFailure) = (response, null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException e) when (deadline.IsCancellationRequested)
            {
                // The deadline cut an attempt short while it was in flight.
                (maybeApplied, lastResponse, lastFailure) = (true, null, e);
                break;
            }
            catch (OperationCanceledException e) when (gatewayLost.IsCancellationRequested)
            {
                // A gateway connection closed while this attempt was in flight, maybe through it: no answer would
                // come. Retry now through the others; the request may have been delivered before it broke.
                (maybeApplied, lastResponse, lastFailure) = (true, null, e);
                continue;
            }
            catch (Exception e) when (IsTransient(e))
            {
                // A lost connection or silo: the request may have been delivered before it broke.
                (maybeApplied, lastResponse, lastFailure) = (true, null, e);
            }

            try
            {
                await Task.Delay(backoff, _time, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.RetryBackoffMax.Ticks));
        }
        throw GaveUp(operation, isWrite && maybeApplied, lastResponse, lastFailure);
    }

    /// <summary>Statuses that may go away by themselves: no answer yet, no leader yet, a full pipeline.</summary>
    internal static bool IsRetryable(KvStatus status) => status is KvStatus.Timeout or KvStatus.Unavailable or KvStatus.LimitExceeded;

    /// <summary>Failures of the Orleans transport (not of the request) that a later attempt may not meet.</summary>
    internal static bool IsTransient(Exception e) => e is TimeoutException
        or OrleansMessageRejectionException or ConnectionFailedException or SocketConnectionException or GatewayTooBusyException;

    /// <summary>An error the service will repeat however often it is asked.</summary>
    private RaftKvException Rejected(string operation, KvResponse response, bool outcomeUnknown) =>
        new(response.Status, Group, $"{operation} rejected by group '{Group}': {response.Error ?? Describe(response.Status)}", outcomeUnknown);

    private RaftKvException GaveUp(string operation, bool outcomeUnknown, KvResponse? lastResponse, Exception? lastFailure)
    {
        var after = $"(gave up after {Seconds(_options.OperationTimeout)})";
        var unknown = outcomeUnknown ? "; it may or may not have been applied" : "";
        return lastResponse?.Status switch
        {
            KvStatus.Unavailable => new RaftKvUnavailableException(Group,
                $"{operation}: group '{Group}' is unavailable: {lastResponse.Error ?? Describe(KvStatus.Unavailable)} {after}{unknown}", outcomeUnknown),
            KvStatus.LimitExceeded => new RaftKvException(KvStatus.LimitExceeded, Group,
                $"{operation}: group '{Group}' is over a capacity limit: {lastResponse.Error ?? Describe(KvStatus.LimitExceeded)} {after}{unknown}", outcomeUnknown),
            KvStatus.Timeout => new RaftKvTimeoutException(Group,
                $"{operation}: group '{Group}' did not answer in time: {lastResponse.Error ?? Describe(KvStatus.Timeout)} {after}{unknown}", outcomeUnknown),
            _ when lastFailure is OperationCanceledException or TimeoutException => new RaftKvTimeoutException(Group,
                $"{operation}: no answer from group '{Group}' within {Seconds(_options.OperationTimeout)}{unknown}", outcomeUnknown, lastFailure),
            _ => new RaftKvUnavailableException(Group,
                $"{operation}: cannot reach group '{Group}': {lastFailure?.Message} {after}{unknown}", outcomeUnknown, lastFailure),
        };
    }

    internal static string Describe(KvStatus status) => status switch
    {
        KvStatus.InvalidArgument => "invalid argument",
        KvStatus.Timeout => "timed out",
        KvStatus.Unavailable => "no leader reachable",
        KvStatus.UnknownGroup => "no such group",
        KvStatus.LimitExceeded => "capacity limit reached, retry later",
        _ => status.ToString(),
    };

    internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
