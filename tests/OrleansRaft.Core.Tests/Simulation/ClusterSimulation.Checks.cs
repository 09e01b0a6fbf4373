using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Testing.Linearizability;
using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>What a run must show once it is over: a linearizable history, progress, and convergence.</summary>
internal sealed partial class ClusterSimulation
{
    private void CheckHistory()
    {
        var ops = _history.Operations;
        var result = LinearizabilityChecker.Check(KvModel.Instance, ops);
        if (!result.IsLinearizable)
            throw new SimulationFailedException(_options, $"Client history is not linearizable: {result}", _trace.ToString(), null)
            {
                IsLinearizabilityViolation = result.Outcome == CheckOutcome.NotLinearizable,
            };
        var commit = _peers.Max(p => p.Node?.CommitIndex ?? 0);
        if (_history.CompletedCount < MinCompletedOperations || commit == 0)
            throw new SimulationFailedException(_options,
                $"No progress: {_history.CompletedCount} of {ops.Count} operations completed, highest commit {commit}.",
                _trace.ToString(), null) { IsProgressFailure = true };
    }

    /// <summary>Liveness: with every peer up and no partition (a few messages may still be lost), the cluster must converge (one leader,
    /// every log complete, committed and applied) within <see cref="SimulationOptions.SettleTicks"/>.</summary>
    private void Settle()
    {
        var from = _queue.Now;
        var deadline = from + (long)_options.SettleTicks * VirtualTime.Tick;
        for (var at = from; !Converged(); at += VirtualTime.Tick)
        {
            if (at > deadline)
                throw new InvalidOperationException(
                    $"No convergence within {_options.SettleTicks} calm ticks after the clients stopped: {DescribePeers()}");
            while (_queue.RunNext(at)) { }
        }
    }

    /// <summary>The group converged: the leader of the highest term is a voter of its configuration, no other member of
    /// that configuration leads, and every member (learners included) is up, complete, committed and applied. Peers
    /// outside it (removed, or added by an entry that was lost) are not waited for: nobody replicates to them, and a
    /// removed peer cut off while it was removed may believe for ever that it leads an older term (without PreVote and
    /// CheckQuorum nobody answers its stale appends, and no member campaigns to a peer outside its configuration).
    /// With a fixed membership this is: one leader, and every peer converged.</summary>
    private bool Converged()
    {
        var leaders = _peers.Where(p => p.Node is { Role: RaftRole.Leader }).ToList();
        if (leaders.Count == 0) return false;
        var group = leaders.MaxBy(p => p.Node!.Term)!;
        var leader = group.Node!;
        var configuration = leader.Configuration;
        if (!leader.IsVoter || leaders.Any(p => p != group && configuration.Contains(p.Id))) return false;
        return configuration.Members.All(id => _byId.TryGetValue(id, out var p)
            && p.Node is { } node && p.Writing is null && !p.IsPaused
            && node.Term == leader.Term
            && node.LastIndex == leader.LastIndex
            && node.CommitIndex == leader.LastIndex
            && node.AppliedIndex == node.CommitIndex);
    }

    private string DescribePeers() => string.Join("; ", _peers.Select(p => p.Node is not { } node
        ? $"{p.Id} {(p.Decommissioned ? "decommissioned" : "down")}"
        : $"{p.Id} {node.Role} term {node.Term} last {node.LastIndex}@{node.LastTerm} commit {node.CommitIndex} applied {node.AppliedIndex}" +
          (Membership is null ? "" : $" ({node.Configuration})")));
}
