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

    private bool Converged()
    {
        var leaders = _peers.Where(p => p.Node is { Role: RaftRole.Leader }).ToList();
        if (leaders.Count != 1) return false;
        var leader = leaders[0].Node!;
        return _peers.All(p => p.Node is { } node && p.Writing is null && !p.IsPaused
            && node.Term == leader.Term
            && node.LastIndex == leader.LastIndex
            && node.CommitIndex == leader.LastIndex
            && node.AppliedIndex == node.CommitIndex);
    }

    private string DescribePeers() => string.Join("; ", _peers.Select(p => p.Node is not { } node
        ? $"{p.Id} down"
        : $"{p.Id} {node.Role} term {node.Term} last {node.LastIndex}@{node.LastTerm} commit {node.CommitIndex} applied {node.AppliedIndex}"));
}
