using Microsoft.Extensions.Logging;
using OrleansRaft.Kv;

namespace OrleansRaft.Hosting.Nodes;

/// <summary>
/// Wakes the peers of this node as soon as the silo is active, instead of on the first request that reaches them: a
/// group whose silos all restarted elects a leader while the first client is still connecting, and a restarted
/// follower rejoins before anyone asks for it. It asks the group's facade for its status (peer calls are internal
/// to grains, and the facade is one), which calls every peer; placement pins each to its node, so this node's peers
/// activate here.
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
            var mine = options.PeerNodes.Select((node, index) => (node, index))
                .Where(p => string.Equals(p.node, local.Name, StringComparison.Ordinal)).Select(p => p.index).ToArray();
            if (mine.Length > 0) _ = WakeAsync(group, mine);
        }
        return Task.CompletedTask;
    }

    private Task Stop(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    /// <summary>Asks until each local peer answered once, or said why it will not start (a refusing peer logs its own
    /// reason, once).</summary>
    private async Task WakeAsync(string group, int[] peers)
    {
        var until = DateTime.UtcNow + RetryFor;
        var delay = TimeSpan.FromMilliseconds(100);
        var last = "no answer yet";
        while (!_stopping.IsCancellationRequested && DateTime.UtcNow < until)
        {
            try
            {
                var status = await grains.GetGrain<IKvGrain>(group).Status();
                if (peers.All(i => i < status.Peers.Length && (status.Peers[i] is not null || status.Errors[i] is { } e && e.Contains("refuses to start", StringComparison.Ordinal))))
                    return;
                last = string.Join("; ", peers.Where(i => i < status.Errors.Length && status.Errors[i] is not null).Select(i => status.Errors[i]));
            }
            catch (Exception e)
            {
                last = e.GetBaseException().Message;
            }
            try { await Task.Delay(delay, _stopping.Token); } catch (OperationCanceledException) { return; }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
        if (!_stopping.IsCancellationRequested) LogGaveUp(group, local.Name, last);
    }

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "The Raft peers of group {Group} on node {Node} did not answer within 30 s of the silo's start: {Reason}")]
    private partial void LogGaveUp(string group, string node, string reason);
}
