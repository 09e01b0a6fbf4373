using Orleans.Concurrency;
using OrleansRaft.Core.Messages;

namespace OrleansRaft.Peers;

/// <summary>
/// One Raft peer of one group, keyed <c>"{group}/{peer}"</c> (see <see cref="PeerKey"/>). Peers talk to each
/// other only through <see cref="Deliver"/>, one way: no peer ever awaits another, because two
/// non-reentrant grains awaiting each other would deadlock until the response timeout.
/// </summary>
[Alias("OrleansRaft.IRaftPeerGrain")]
public interface IRaftPeerGrain : IGrainWithStringKey
{
    /// <summary>Delivers a batch of Raft messages from one peer. Internal to the cluster. Interleaves: messages that
    /// arrive while the peer waits for its storage are stepped at once, and its next write carries all of them.</summary>
    [OneWay, AlwaysInterleave, Alias("Deliver")]
    Task Deliver(RaftMessage[] messages);

    /// <summary>Proposes a state machine command and completes once it is applied (or known not to be).
    /// Interleaves: waiting for commit never holds the peer's turn.</summary>
    [AlwaysInterleave, Alias("Propose")]
    Task<ProposeResponse> Propose(byte[] command, CancellationToken cancellationToken = default);

    /// <summary>Runs a read-only query against the state machine, linearizably (ReadIndex) unless
    /// <paramref name="allowStale"/> is set, in which case it answers from this peer's applied state.</summary>
    [AlwaysInterleave, Alias("Query")]
    Task<QueryResponse> Query(byte[] query, bool allowStale, CancellationToken cancellationToken = default);

    /// <summary>Where this peer stands: role, term, leader, indexes.</summary>
    [AlwaysInterleave, Alias("GetStatus")]
    Task<PeerStatus> GetStatus();
}
