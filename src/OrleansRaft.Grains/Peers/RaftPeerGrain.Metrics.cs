using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OrleansRaft.Core;
using OrleansRaft.Grains.Diagnostics;
using OrleansRaft.Shell;

namespace OrleansRaft.Grains.Peers;

/// <summary>The peer's side of <see cref="RaftMetrics"/>: the few hooks that need more than one line at their event.
/// Resolved lazily from the services, so that the grain's constructor stays as it is.</summary>
internal sealed partial class RaftPeerGrain
{
    private RaftMetrics? _metrics;

    private RaftMetrics Metrics => _metrics ??= services.GetRequiredService<RaftMetrics>();

    /// <summary>Once a tick: what gauges and the live view show of this peer.</summary>
    private void PublishSnapshot() =>
        Metrics.Activity.Publish(PeerSnapshot.Of(_group, _node, _proposals.Count, Metrics.Activity.Clock));

    /// <summary>Times the durable write; a Ready with nothing to write is no storage write and is not counted.</summary>
    private async Task PersistTimedAsync(Ready ready)
    {
        var writes = ready.Snapshot is not null || ready.HardState is not null || ready.Entries.Count > 0;
        var started = Stopwatch.GetTimestamp();
        await _store.PersistAsync(ready);
        if (writes) Metrics.StorageWritten(_group, started);
    }

    /// <summary>A pending proposal's entry index was committed: with its term it was the proposal (committed, whether
    /// or not the state machine could apply it); with another term the proposal was dropped.</summary>
    private void OnProposalDecided(PendingProposal proposal, Entry entry)
    {
        if (proposal.Term == entry.Term) Metrics.ProposalCommitted(_group, proposal.Accepted);
        else Metrics.ProposalFailed(_group, "dropped");
    }
}
