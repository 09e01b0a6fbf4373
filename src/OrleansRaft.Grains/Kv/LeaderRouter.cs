using OrleansRaft.Grains.Directory;
using OrleansRaft.Grains.Membership;
using OrleansRaft.Grains.Placement;
using OrleansRaft.Hosting;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Grains.Kv;

/// <summary>
/// Sends one KV request to the group's leader: tries the cached hint first, follows NotLeader redirects,
/// backs off while an election runs, and retries the same encoded command (same request id) until the
/// request deadline. Every failure ends as a typed status; a write that may have applied ends as Timeout.
/// When the silo stops, it answers at once instead (a stopping silo waits for its pending requests).
/// </summary>
internal sealed class LeaderRouter(
    string group, RaftGroupOptions options, IGrainFactory grains, LeaderHintCache hints, PeerLocator peers, GroupConfigurationCache configurations, CancellationToken siloStopping)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(250);

    public RaftGroupOptions Options => options;

    public Task<KvResponse> ProposeAsync(KvCommand command)
    {
        var bytes = KvCodec.Encode(command);
        return RouteAsync(async peer =>
        {
            var response = await peer.Propose(bytes);
            return (response.Outcome, response.Result, response.LeaderHint, response.Index, response.Error);
        }, isWrite: true);
    }

    public Task<KvResponse> QueryAsync(KvCommand query, bool stale)
    {
        var bytes = KvCodec.Encode(query);
        return RouteAsync(async peer =>
        {
            var response = await peer.Query(bytes, stale);
            return (response.Outcome, response.Result, response.LeaderHint, response.Index, response.Error);
        }, isWrite: false);
    }

    public async Task<PeerStatusList> StatusAsync()
    {
        var keys = configurations.MembersOf(group);
        // A peer whose node has no active silo is down: say so rather than wait in Orleans' placement retries for it.
        var calls = keys.Select(key => peers.HostOf(key, out _) is null
            ? Task.FromException<PeerStatus>(new RaftNodeUnavailableException($"node '{options.NodeOf(PeerKey.Parse(key))}' has no active silo"))
            : grains.GetGrain<IRaftPeerGrain>(key).GetStatus().WaitAsync(options.PeerCallTimeout)).ToArray();
        var statuses = new PeerStatus?[keys.Length];
        var errors = new string?[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            try { statuses[i] = await calls[i]; }
            catch (Exception e) { errors[i] = e is TimeoutException ? "no answer" : e.GetBaseException().Message; }
        }
        foreach (var status in statuses)
            if (status?.Voters is { } voters) configurations.Observe(group, status.ConfigIndex, voters, status.Learners ?? []);
        return new PeerStatusList(group, statuses, errors, keys);
    }

    /// <summary>The next peer in turn whose node has an active silo (a call to a peer that is down would only wait in
    /// Orleans' placement retries); the next in turn anyway if none has.</summary>
    private string NextReachable(string[] keys, ref int next)
    {
        for (var tried = 0; tried < keys.Length; tried++)
        {
            var key = keys[next++ % keys.Length];
            if (peers.HostOf(key, out _) is not null) return key;
        }
        return keys[next++ % keys.Length];
    }

    private async Task<KvResponse> RouteAsync(
        Func<IRaftPeerGrain, Task<(PeerOutcome Outcome, byte[]? Result, string? Leader, long Index, string? Error)>> call,
        bool isWrite)
    {
        var deadline = DateTime.UtcNow + options.RequestTimeout;
        var keys = configurations.MembersOf(group);
        var next = Random.Shared.Next(keys.Length);
        var backoff = FirstBackoff;
        var mayHaveApplied = false;
        string? lastError = null;

        while (DateTime.UtcNow < deadline && !siloStopping.IsCancellationRequested)
        {
            var target = hints.Get(group) ?? NextReachable(keys, ref next);
            var remaining = deadline - DateTime.UtcNow;
            var wait = remaining < options.PeerCallTimeout ? remaining : options.PeerCallTimeout;
            try
            {
                var leaderChange = hints.NextLeaderChange(group);
                var attempt = call(grains.GetGrain<IRaftPeerGrain>(target)).WaitAsync(wait);
                if (await Task.WhenAny(attempt, leaderChange) != attempt && hints.Get(group) is { } elected && elected != target)
                {
                    // The group elected another leader while we waited on this one (which may be dead: a call to a
                    // dead silo is answered only once the cluster declares it dead). Ask the new one now; the
                    // request id makes a second delivery of a write harmless.
                    _ = attempt.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                    mayHaveApplied |= isWrite;
                    lastError = $"the leader changed to {elected} while {target} was asked";
                    continue;
                }
                var answer = await attempt;
                switch (answer.Outcome)
                {
                    case PeerOutcome.Ok:
                        hints.Set(group, target);
                        var result = KvCodec.DecodeResult(answer.Result ?? []);
                        return new KvResponse(result.Status, result.Value, result.Status >= KvStatus.InvalidArgument ? result.Value : null, answer.Index);
                    case PeerOutcome.NotLeader:
                        hints.Forget(group, target);
                        if (answer.Leader is not null && answer.Leader != target)
                        {
                            hints.Set(group, answer.Leader);
                            continue; // a redirect is news, not a failure: follow it at once
                        }
                        lastError = "no leader elected yet";
                        break;
                    case PeerOutcome.Rejected:
                        return new KvResponse(KvStatus.LimitExceeded, Error: answer.Error);
                    case PeerOutcome.Failed:
                        return new KvResponse(KvStatus.InvalidArgument, Error: answer.Error, Index: answer.Index);
                    case PeerOutcome.Unknown:
                        mayHaveApplied = true;
                        lastError = answer.Error;
                        break;
                    case PeerOutcome.Dropped:
                        lastError = "the leader changed and the command was overwritten";
                        break;
                    default:
                        hints.Forget(group, target);
                        lastError = answer.Error ?? answer.Outcome.ToString();
                        break;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !siloStopping.IsCancellationRequested)
            {
                // Any failure of one peer (no answer, its silo gone, an error nobody foresaw) is a reason to try another,
                // never an answer for the client. The command may be in that peer's log, and may still commit.
                mayHaveApplied |= isWrite;
                hints.Forget(group, target);
                lastError = e is TimeoutException ? $"peer {target} did not answer in time" : e.GetBaseException().Message;
            }
            try
            {
                await Task.Delay(Jitter(backoff), siloStopping);
            }
            catch (OperationCanceledException)
            {
                lastError = "the silo serving this request is stopping";
            }
            backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
        }

        return mayHaveApplied
            ? new KvResponse(KvStatus.Timeout, Error: $"no answer within {options.RequestTimeout.TotalSeconds:0.#} s; the write may or may not have been applied ({lastError})")
            : new KvResponse(isWrite ? KvStatus.Unavailable : KvStatus.Timeout, Error: $"group '{group}' did not serve the request within {options.RequestTimeout.TotalSeconds:0.#} s ({lastError ?? "no peer answered"})");
    }

    private static TimeSpan Jitter(TimeSpan backoff) => backoff * (0.5 + Random.Shared.NextDouble());
}
