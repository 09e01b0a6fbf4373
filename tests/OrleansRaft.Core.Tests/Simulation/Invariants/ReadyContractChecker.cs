using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Simulation.Invariants;

/// <summary>
/// Holds the node to the promise of <see cref="Ready.MessagesMayPrecedePersist"/>: a host that believes it may
/// send before writing must never send a promise that rests on that write (Figure 2: "respond to RPCs only after
/// updating stable storage"). The promises are an acknowledged append and a granted vote.
/// </summary>
internal static class ReadyContractChecker
{
    /// <summary>Called when the write of <paramref name="ready"/> starts, before anything of it is durable.</summary>
    public static void CheckEarlyMessages(PeerActivation peer, Ready ready)
    {
        if (!ready.MessagesMayPrecedePersist) return;
        // What this activation made durable (another activation's rows vouch for nothing it says).
        var durable = peer.Store;
        // Entries this Ready rewrites are not durable in their new form until the write completes.
        var durableEnd = ready.Entries.Count > 0 ? Math.Min(durable.LogEnd, ready.Entries[0].Index - 1) : durable.LogEnd;
        foreach (var message in ready.Messages)
        {
            switch (message)
            {
                case AppendEntriesReply { Success: true } ack when ack.Index > durableEnd:
                    throw new SafetyViolationException(Invariant.NodeContract,
                        $"{peer.Name}'s Ready says its messages may precede the write, but it acknowledges index {ack.Index} to " +
                        $"{ack.To} while only {durableEnd} is durable.");
                case RequestVoteReply { Granted: true, PreVote: false } vote
                    when durable.HardState.Term != vote.Term || durable.HardState.Vote != vote.To:
                    throw new SafetyViolationException(Invariant.NodeContract,
                        $"{peer.Name}'s Ready says its messages may precede the write, but it grants its term-{vote.Term} vote to " +
                        $"{vote.To} before that vote is durable.");
            }
        }
    }
}
