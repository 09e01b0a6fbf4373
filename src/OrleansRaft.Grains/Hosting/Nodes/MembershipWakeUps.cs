using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace OrleansRaft.Hosting.Nodes;

/// <summary>
/// Tells the peers on this silo when the cluster's membership changes (a silo joins, dies or leaves), so that quiet
/// peers wake (<c>RaftNode.Wake</c>): the followers of a leader whose silo died start their election timers again and
/// replace it. Orleans declares a silo dead only once its failure detector has voted (about 10-15 s with the default
/// timing), so a quiet group with a dead leader waits that long unless a client request wakes it first; a group that
/// sees traffic is not quiet and does not wait for Orleans at all.
/// </summary>
internal sealed partial class MembershipWakeUps(IClusterMembershipService membership, ILogger<MembershipWakeUps> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscribers = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _watch;

    /// <summary>Calls <paramref name="onChange"/> (on a thread-pool thread) on every change of a silo's status, until
    /// the returned handle is disposed.</summary>
    public IDisposable Subscribe(Action onChange)
    {
        var subscription = new Subscription(this, onChange);
        _subscribers[subscription] = 0;
        return subscription;
    }

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(
        nameof(MembershipWakeUps), ServiceLifecycleStage.Active,
        _ =>
        {
            _watch = Task.Run(WatchAsync);
            return Task.CompletedTask;
        },
        async _ =>
        {
            await _stopping.CancelAsync();
            if (_watch is not null) await _watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        });

    private async Task WatchAsync()
    {
        var known = Statuses(membership.CurrentSnapshot);
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(_stopping.Token))
            {
                var now = Statuses(snapshot);
                if (now.Count == known.Count && now.All(s => known.TryGetValue(s.Key, out var was) && was == s.Value)) continue;
                known = now;
                LogWaking(logger, snapshot.Version.Value, _subscribers.Count);
                foreach (var subscription in _subscribers.Keys) subscription.Notify();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private static Dictionary<SiloAddress, SiloStatus> Statuses(ClusterMembershipSnapshot snapshot) =>
        snapshot.Members.ToDictionary(m => m.Key, m => m.Value.Status);

    [LoggerMessage(EventId = 1340, Level = LogLevel.Debug, Message = "Cluster membership changed (version {Version}): waking {Peers} local peers")]
    private static partial void LogWaking(ILogger logger, long version, int peers);

    private sealed class Subscription(MembershipWakeUps owner, Action onChange) : IDisposable
    {
        public void Notify() => onChange();

        public void Dispose() => owner._subscribers.TryRemove(this, out _);
    }
}
