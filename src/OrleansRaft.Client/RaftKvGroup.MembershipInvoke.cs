using OrleansRaft.Kv;
using OrleansRaft.Membership;

namespace OrleansRaft.Client;

/// <summary>
/// The retry loop of membership calls. Unlike a KV write, a change carries no request id, so the group cannot tell a
/// retry from a second request: a retried add could meet its own success as AlreadyMember, a retried transfer could
/// move leadership twice. So a change is sent again only after an answer that says nothing changed (Unavailable: no
/// leader, or the node's silo is not running); once it may have reached the group without an answer, it fails at once
/// with <see cref="RaftMembershipException.OutcomeUnknown"/>. The listing changes nothing and is retried like a read.
/// </summary>
internal sealed partial class RaftKvGroup
{
    private async Task<GroupMembership> MembershipAsync(
        MembershipRequest request, Func<IKvGrain, CancellationToken, Task<MembershipResponse>> call, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_options.OperationTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var backoff = _options.RetryBackoffInitial;
        MembershipResponse? lastResponse = null;
        Exception? lastFailure = null;
        while (true)
        {
            var gatewayLost = _gatewayLoss?.Token ?? CancellationToken.None;
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(linked.Token, gatewayLost);
                var response = await call(_grain, attempt.Token).ConfigureAwait(false);
                if (response.Outcome == MembershipOutcome.Ok)
                    return response.Membership ?? throw new InvalidOperationException(
                        $"Group '{Group}' answered {request.Operation} with {MembershipOutcome.Ok} but no membership, which it always sends along.");
                if (!IsRetryable(response.Outcome, request.IsChange)) throw Refused(request, response);
                (lastResponse, lastFailure) = (response, null);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException e) when (deadline.IsCancellationRequested)
            {
                // The deadline cut an attempt short while it was in flight: a change may have reached the group.
                throw NoAnswer(request, request.IsChange, e);
            }
            catch (Exception e) when (e is OperationCanceledException && gatewayLost.IsCancellationRequested || IsTransient(e))
            {
                // A gateway connection closed, or the silo of the facade was lost, while the call was in flight.
                if (request.IsChange) throw Lost(request, e);
                (lastResponse, lastFailure) = (null, e);
                if (e is OperationCanceledException) continue; // retry through the other gateways at once
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
        // The deadline passed between attempts: the last attempt's answer said nothing changed, or it never arrived.
        throw lastResponse is not null ? GaveUp(request, lastResponse) : NoAnswer(request, outcomeUnknown: false, lastFailure);
    }

    /// <summary>Answers that may go away by themselves and promise that nothing changed: no leader reachable (both kinds
    /// of call), and, for the listing, which changes nothing anyway, no answer in time.</summary>
    internal static bool IsRetryable(MembershipOutcome outcome, bool isChange) =>
        outcome == MembershipOutcome.Unavailable || (!isChange && outcome == MembershipOutcome.Timeout);

    /// <summary>The group's own answer, at once: a refusal (nothing changed) or, for a change, Timeout (unknown).</summary>
    private RaftMembershipException Refused(MembershipRequest request, MembershipResponse response)
    {
        var reason = response.Error ?? Describe(response.Outcome, request.Node);
        if (response.Outcome == MembershipOutcome.Timeout)
            return new(response.Outcome, Group,
                $"{request.Operation}: group '{Group}' did not answer in time: {reason}; {MayHaveTakenEffect(request)}", outcomeUnknown: true, response.Membership);
        return new(response.Outcome, Group, $"{request.Operation} refused by group '{Group}': {reason}", outcomeUnknown: false, response.Membership);
    }

    private RaftMembershipException GaveUp(MembershipRequest request, MembershipResponse lastResponse)
    {
        var reason = lastResponse.Error ?? Describe(lastResponse.Outcome, request.Node);
        var after = $"(gave up after {Seconds(_options.OperationTimeout)})";
        return lastResponse.Outcome == MembershipOutcome.Unavailable
            ? new(MembershipOutcome.Unavailable, Group, $"{request.Operation}: group '{Group}' is unavailable: {reason} {after}", membership: lastResponse.Membership)
            : new(lastResponse.Outcome, Group, $"{request.Operation}: group '{Group}' did not answer in time: {reason} {after}", membership: lastResponse.Membership);
    }

    private RaftMembershipException NoAnswer(MembershipRequest request, bool outcomeUnknown, Exception? cause)
    {
        if (cause is not (null or OperationCanceledException or TimeoutException))
            return new(MembershipOutcome.Unavailable, Group,
                $"{request.Operation}: cannot reach group '{Group}': {cause.Message} (gave up after {Seconds(_options.OperationTimeout)})", innerException: cause);
        var unknown = outcomeUnknown ? "; " + MayHaveTakenEffect(request) : "";
        return new(MembershipOutcome.Timeout, Group,
            $"{request.Operation}: no answer from group '{Group}' within {Seconds(_options.OperationTimeout)}{unknown}", outcomeUnknown, innerException: cause);
    }

    /// <summary>A change in flight when the way to the group broke: not retried, since it may have been delivered.</summary>
    private RaftMembershipException Lost(MembershipRequest request, Exception cause) =>
        cause is TimeoutException
            ? new(MembershipOutcome.Timeout, Group,
                $"{request.Operation}: no answer from group '{Group}' ({cause.Message}); {MayHaveTakenEffect(request)}", outcomeUnknown: true, innerException: cause)
            : new(MembershipOutcome.Unavailable, Group,
                $"{request.Operation}: lost the connection to group '{Group}' before its answer ({CauseText(cause)}); {MayHaveTakenEffect(request)}",
                outcomeUnknown: true, innerException: cause);

    private static string CauseText(Exception cause) =>
        cause is OperationCanceledException ? "a gateway connection closed" : cause.Message;

    private static string MayHaveTakenEffect(MembershipRequest request) =>
        $"the {(request.IsTransfer ? "transfer" : "change")} may or may not have taken effect (list the members to see)";

    /// <summary>What an outcome means, for answers that carry no message of their own.</summary>
    internal static string Describe(MembershipOutcome outcome, string? node = null)
    {
        var who = node ?? "the node";
        return outcome switch
        {
            MembershipOutcome.InvalidArgument => "invalid argument",
            MembershipOutcome.UnknownGroup => "no such group",
            MembershipOutcome.NotAMember => $"{who} hosts no member of the group",
            MembershipOutcome.AlreadyMember => $"{who} already hosts a member of the group (a voter, for promote)",
            MembershipOutcome.LastVoter => "it is the group's last voter, and a group without voters can never commit again",
            MembershipOutcome.ChangePending => "another membership change or leadership transfer is under way; retry when it is done",
            MembershipOutcome.LearnerBehind => $"the learner on {who} is too far behind the leader to be promoted yet",
            MembershipOutcome.WouldLoseQuorum => "the voters the leader hears from would no longer be a majority",
            MembershipOutcome.InvalidTarget => $"leadership can only move to a voter, and {who} hosts a learner",
            MembershipOutcome.Timeout => "timed out",
            MembershipOutcome.Unavailable => "no leader reachable",
            _ => outcome.ToString(),
        };
    }
}
