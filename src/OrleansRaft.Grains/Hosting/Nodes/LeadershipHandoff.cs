using Microsoft.Extensions.Logging;
using OrleansRaft.Grains.Kv;
using OrleansRaft.Kv;
using OrleansRaft.Membership;
using OrleansRaft.Peers;

namespace OrleansRaft.Hosting.Nodes;

/// <summary>
/// A silo that stops gracefully (SIGTERM, Ctrl+C, host shutdown) first hands the leadership of every group it leads to
/// a caught-up voter elsewhere (TimeoutNow), then goes on stopping. Without it, the group waits an election timeout
/// after the leader went silent, and every deploy of a rolling restart pauses writes that long. Runs first among the
/// stopping steps (the Active stage), while the silo still serves calls. It asks the group's facade, as an operator's
/// <c>client leader transfer</c> does: peer calls are internal to grains, and this is no grain.
/// </summary>
internal sealed partial class LeadershipHandoff(LocalPeers peers, LeaderHintCache leaders, IGrainFactory grains, ILogger<LeadershipHandoff> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Bound on the whole handoff: a transfer completes within one election timeout or aborts.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LeadershipHandoff), ServiceLifecycleStage.Active, _ => Task.CompletedTask, StopAsync);

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        // An ungraceful stop (its token already cancelled: TestingHost's kill, a shutdown out of time) hands nothing
        // over: a transfer begun by a silo about to vanish only holds the group's proposals until it aborts.
        if (cancellationToken.IsCancellationRequested) return;
        // The peers of this silo that lead, as far as this silo's facades know (its peers report every leader they learn).
        var leading = peers.All.Where(p => PeerKey.TryParse(p, out var key) && leaders.Get(key.Group) == p);
        var handoffs = leading.Select(HandOffAsync).ToArray();
        try
        {
            await Task.WhenAll(handoffs).WaitAsync(Bound, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            LogGaveUp(Bound.TotalSeconds);
        }
    }

    private async Task HandOffAsync(string peer)
    {
        try
        {
            var answer = await grains.GetGrain<IKvGrain>(PeerKey.Parse(peer).Group).TransferLeadership();
            if (answer.Outcome == MembershipOutcome.Ok) LogHandedOff(peer, answer.Membership?.Leader ?? "another voter");
            else LogNotHandedOff(peer, answer.Error ?? answer.Outcome.ToString());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogNotHandedOff(peer, e.GetBaseException().Message);
        }
    }

    [LoggerMessage(EventId = 1320, Level = LogLevel.Information, Message = "Silo stopping: Raft peer {Peer} handed leadership to {Leader}")]
    private partial void LogHandedOff(string peer, string leader);

    [LoggerMessage(EventId = 1321, Level = LogLevel.Warning, Message = "Silo stopping: Raft peer {Peer} could not hand over its leadership: {Reason}")]
    private partial void LogNotHandedOff(string peer, string reason);

    [LoggerMessage(EventId = 1322, Level = LogLevel.Warning, Message = "Silo stopping: leadership handoff did not finish within {Seconds} s; stopping anyway")]
    private partial void LogGaveUp(double seconds);
}
