using Microsoft.Extensions.Logging;
using OrleansRaft.Peers;

namespace OrleansRaft.Hosting.Nodes;

/// <summary>
/// A silo that stops gracefully (SIGTERM, Ctrl+C, host shutdown) first hands the leadership of every group it leads to
/// a caught-up voter elsewhere (TimeoutNow), then goes on stopping. Without it, the group waits an election timeout
/// after the leader went silent, and every deploy of a rolling restart pauses writes that long. Runs first among the
/// stopping steps (the Active stage), while the silo still serves calls.
/// </summary>
internal sealed partial class LeadershipHandoff(LocalPeers peers, IGrainFactory grains, ILogger<LeadershipHandoff> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Bound on the whole handoff: a transfer completes within one election timeout or aborts.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LeadershipHandoff), ServiceLifecycleStage.Active, _ => Task.CompletedTask, StopAsync);

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        var handoffs = peers.All.Select(HandOffAsync).ToArray();
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
            var answer = await grains.GetGrain<IRaftPeerGrain>(peer).HandOff();
            if (answer.Outcome == PeerOutcome.Ok && answer.LeaderHint is { } leader && leader != peer) LogHandedOff(peer, leader);
            else if (answer.Outcome != PeerOutcome.Ok) LogNotHandedOff(peer, answer.Error ?? answer.Outcome.ToString());
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
