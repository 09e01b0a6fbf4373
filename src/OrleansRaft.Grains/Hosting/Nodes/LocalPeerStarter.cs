using Microsoft.Extensions.Logging;
using OrleansRaft.Peers;

namespace OrleansRaft.Hosting.Nodes;

/// <summary>
/// Wakes the peers of this node as soon as the silo is active, instead of on the first request that reaches them: a
/// group whose silos all restarted elects a leader while the first client is still connecting, and a restarted
/// follower rejoins before anyone asks for it. Placement pins each peer to its node, so the call activates it here.
/// </summary>
internal sealed partial class LocalPeerStarter(ILocalSiloDetails local, RaftGroupRegistry groups, IGrainFactory grains, ILogger<LocalPeerStarter> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stopping = new();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LocalPeerStarter), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        foreach (var group in groups.Names)
        {
            if (!groups.TryGet(group, out var options)) continue;
            var nodes = options.PeerNodes;
            for (var index = 0; index < nodes.Count; index++)
                if (string.Equals(nodes[index], local.Name, StringComparison.Ordinal))
                    _ = WakeAsync(new PeerKey(group, index).ToString());
        }
        return Task.CompletedTask;
    }

    private Task Stop(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    /// <summary>Asks until the peer answers once. A peer that refuses to start (no storage, wrong node) keeps refusing:
    /// that is logged by the peer itself, and retried only a few times here.</summary>
    private async Task WakeAsync(string peer)
    {
        var until = DateTime.UtcNow + RetryFor;
        var delay = TimeSpan.FromMilliseconds(100);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<IRaftPeerGrain>(peer).GetStatus();
                return;
            }
            catch (Exception e) when (DateTime.UtcNow < until)
            {
                LogRetry(peer, e.GetBaseException().Message);
            }
            catch (Exception e)
            {
                LogGaveUp(peer, e.GetBaseException().Message);
                return;
            }
            try { await Task.Delay(delay, _stopping.Token); } catch (OperationCanceledException) { return; }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    [LoggerMessage(EventId = 1310, Level = LogLevel.Debug, Message = "Waking local Raft peer {Peer} failed, retrying: {Reason}")]
    private partial void LogRetry(string peer, string reason);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "Local Raft peer {Peer} did not start: {Reason}")]
    private partial void LogGaveUp(string peer, string reason);
}
