using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Simulation.Invariants;

/// <summary>
/// Checks Raft's safety properties (Figure 3) after every step of every activation of every peer, over the whole
/// history of the run (across crashes, restarts and duplicate activations), and throws
/// <see cref="SafetyViolationException"/> at the first step that breaks one:
/// <list type="bullet">
/// <item>Election Safety: at most one leader per term, ever.</item>
/// <item>Log Matching: two logs holding an entry with the same index and term hold the same prefix up to it
/// (prefix hashes, recorded per (index, term) the first time any log holds it).</item>
/// <item>Leader Completeness: a leader holds every entry committed in an earlier term.</item>
/// <item>State Machine Safety: every peer applies the entry recorded as committed at each index.</item>
/// <item>Commit bookkeeping: a node's commit index never decreases within one activation, a committed entry
/// is never overwritten, and nothing is applied beyond the commit index.</item>
/// </list>
/// Every activation is held to these on its own (two activations of one peer leading the same term break
/// Election Safety), and what an activation held in memory dies with it: a new activation is checked on what it
/// loaded from the store (its restored commit index must point at committed entries), never on what an earlier
/// one believed was durable. And while a peer has two activations, or its only one no longer holds the peer row
/// as it last saw it (another activation wrote it since), an activation is held to what it does, not to what it
/// holds in memory: its peer's messages reach it too, so it may count vote replies or learn a commit index meant
/// for the other activation's log (leaders track one progress per peer). Its leadership counts once it sends as
/// leader, its commit index once one of its writes succeeds (it then persists, applies and answers from it), and
/// every entry it applies must be the committed one. The checks a changing membership adds are in
/// <c>SafetyChecker.Membership.cs</c>.
/// </summary>
internal sealed partial class SafetyChecker
{
    private readonly record struct Committed(long Term, ulong Chain, ulong Hash, long KnownInTerm, string Peer);

    private readonly Dictionary<PeerActivation, LogMirror> _mirrors = [];
    private readonly Dictionary<PeerActivation, long> _commit = [];
    private readonly Dictionary<(long Index, long Term), (ulong Chain, string Peer)> _entries = [];
    private readonly Dictionary<long, string> _leaders = [];
    private readonly List<Committed> _committed = [];
    private readonly List<SimPeer> _peers = [];

    /// <summary>Highest index known committed anywhere.</summary>
    public long CommittedIndex => _committed.Count;

    /// <summary>Terms that had a leader.</summary>
    public int Elections => _leaders.Count;

    /// <summary>Watches a peer: one of the group's first, or one added later (it starts with empty storage).</summary>
    public void Register(SimPeer peer)
    {
        _peers.Add(peer);
        _byId[peer.Id] = peer;
    }

    /// <summary>A new activation: read its whole log, and check that what it restored as committed is.</summary>
    public void OnStarted(PeerActivation peer)
    {
        var node = peer.Node!;
        OnStartedMembership(node);
        var mirror = _mirrors[peer] = new LogMirror();
        RecordEntries(peer.Name, mirror, mirror.Sync(node, 1, CommittedChain));
        CheckConfiguration(peer, node, mirror);
        _commit[peer] = 0;
        CheckCommit(peer, node, node.CommitIndex);
    }

    /// <summary>The activation ended: nothing it held in memory counts any more.</summary>
    public void OnStopped(PeerActivation peer)
    {
        _mirrors.Remove(peer);
        _commit.Remove(peer);
        OnStoppedMembership(peer);
    }

    public void OnChanged(PeerActivation peer, long changedFrom)
    {
        var node = peer.Node!;
        var mirror = _mirrors[peer];
        var before = mirror.LastIndex;
        var baseBefore = mirror.Base;
        var changed = mirror.Sync(node, changedFrom, CommittedChain);
        CheckSnapshotTerm(peer, node, mirror);
        if (changed <= before && changed <= _commit[peer])
            throw new SafetyViolationException(Invariant.StateMachineSafety,
                $"{peer.Name} replaced its entry at index {changed}, at or below its commit index {_commit[peer]}.");
        RecordEntries(peer.Name, mirror, changed);
        // The configuration in force changes only with the log (or its base).
        if (changed <= Math.Max(before, mirror.LastIndex) || mirror.Base != baseBefore) CheckConfiguration(peer, node, mirror);
        CheckRole(peer, node);
        if (SpeaksForItsPeer(peer))
        {
            CheckLeader(peer, node, node.Term);
            CheckCommitQuorum(peer, node);
            CheckCommit(peer, node, node.CommitIndex);
        }
        if (node.AppliedIndex > node.CommitIndex)
            throw new SafetyViolationException(Invariant.AppliedBeyondCommitted,
                $"{peer.Name} applied up to {node.AppliedIndex} but has committed only up to {node.CommitIndex}.");
    }

    /// <summary>The messages of <paramref name="ready"/> go out now (ahead of its write, when it says they may): they
    /// speak as the leader it was, and tell others the commit index it had.</summary>
    public void OnSending(PeerActivation peer, Ready ready)
    {
        if (ready.Messages.Count == 0) return;
        var node = peer.Node!;
        if (!SpeaksForItsPeer(peer) && ready.SoftState.Role == RaftRole.Leader) CheckLeader(peer, node, ready.SoftState.Term);
        // Also for an activation checked at every step: it may have been trusted only since its last step.
        if (ready.HardState is { } hard && hard.Commit > _commit[peer]) CheckCommit(peer, node, hard.Commit);
    }

    /// <summary>The write of <paramref name="ready"/> succeeded: its messages go out, and what it persists, applies and
    /// answers rests on its commit index.</summary>
    public void OnPersisted(PeerActivation peer, Ready ready)
    {
        if (!ready.MessagesMayPrecedePersist) OnSending(peer, ready);
        var commit = Math.Max(ready.HardState?.Commit ?? 0, ready.CommittedEntries.Count > 0 ? ready.CommittedEntries[^1].Index : 0);
        if (commit > _commit[peer]) CheckCommit(peer, peer.Node!, commit);
    }

    /// <summary>Whether the activation's memory is its peer's state: it is the peer's only activation, and no other
    /// one wrote the peer row since it last did. (Always so in a run without duplicate activations.)</summary>
    private static bool SpeaksForItsPeer(PeerActivation peer) => peer.Peer.Activations.Count == 1 && peer.Store.OwnsPeerRow;

    /// <summary>State Machine Safety: the entry applied at an index is the one committed there.</summary>
    public void OnApplied(PeerActivation peer, Entry entry)
    {
        var node = peer.Node!;
        if (entry.Index > node.CommitIndex)
            throw new SafetyViolationException(Invariant.AppliedBeyondCommitted,
                $"{peer.Name} applied index {entry.Index} beyond its commit index {node.CommitIndex}.");
        if (entry.Index > _committed.Count)
            throw new SafetyViolationException(Invariant.StateMachineSafety,
                $"{peer.Name} applied index {entry.Index}, which no node has committed (highest committed: {_committed.Count}).");
        var committed = _committed[(int)entry.Index - 1];
        if (committed.Hash != EntryHash.Of(entry))
            throw new SafetyViolationException(Invariant.StateMachineSafety,
                $"{peer.Name} applied ({entry.Index}, term {entry.Term}) but ({entry.Index}, term {committed.Term}) was committed there (seen by {committed.Peer}).");
    }

    /// <summary>State Machine Safety through snapshots: a state machine that took or restored a snapshot at index i
    /// has applied exactly the committed prefix up to i (its applied-prefix hash says which entries it holds).</summary>
    public void OnSnapshot(PeerActivation peer, Snapshot snapshot, SnapshotEvent @event)
    {
        var what = @event.ToString().ToLowerInvariant();
        var committed = CommittedChain(snapshot.Index);
        if (snapshot.Term != _committed[(int)snapshot.Index - 1].Term)
            throw new SafetyViolationException(Invariant.StateMachineSafety,
                $"{peer.Name} {what} {snapshot}, but the entry committed at {snapshot.Index} has term {_committed[(int)snapshot.Index - 1].Term}.");
        var app = peer.Application;
        if (app.AppliedIndex != snapshot.Index || app.AppliedChain != committed)
            throw new SafetyViolationException(Invariant.StateMachineSafety,
                $"{peer.Name} {what} {snapshot}, but that state machine applied up to {app.AppliedIndex} a prefix other than the committed one.");
    }

    /// <summary>The prefix hash committed at <paramref name="index"/>; a snapshot or compaction may only cover a
    /// committed prefix.</summary>
    private ulong CommittedChain(long index)
    {
        if (index == 0) return EntryHash.Empty;
        if (index > _committed.Count)
            throw new SafetyViolationException(Invariant.StateMachineSafety,
                $"A log was compacted or replaced by a snapshot through index {index}, which no node has committed (highest committed: {_committed.Count}).");
        return _committed[(int)index - 1].Chain;
    }

    /// <summary>The term a node keeps for its snapshot's last entry is the committed entry's term: it checks every
    /// append that follows the snapshot (§5.3).</summary>
    private void CheckSnapshotTerm(PeerActivation peer, RaftNode node, LogMirror mirror)
    {
        if (mirror.Base == 0) return;
        var expected = _committed[(int)mirror.Base - 1].Term;
        if (node.TermAt(mirror.Base) != expected)
            throw new SafetyViolationException(Invariant.LogMatching,
                $"{peer.Name}'s log starts after index {mirror.Base} with term {node.TermAt(mirror.Base)}, but term {expected} was committed there.");
    }

    /// <summary>Re-reads every running node's whole log: a backstop for a change the per-step hints missed.</summary>
    public void VerifyAll()
    {
        foreach (var peer in _peers)
        foreach (var activation in peer.Activations)
            if (activation.IsRunning) OnChanged(activation, 1);
    }

    private void RecordEntries(string peer, LogMirror mirror, long from)
    {
        for (var index = from; index <= mirror.LastIndex; index++)
        {
            var term = mirror.EntryAt(index).Term;
            var chain = mirror.ChainAt(index);
            if (!_entries.TryGetValue((index, term), out var seen))
                _entries[(index, term)] = (chain, peer);
            else if (seen.Chain != chain)
                throw new SafetyViolationException(Invariant.LogMatching,
                    $"{peer} holds ({index}, term {term}) after a different log prefix than {seen.Peer} held it after. " +
                    $"{peer}'s log terms: {DescribeTerms(mirror)}.");
        }
    }

    /// <summary>Election Safety and, the first time the activation leads <paramref name="term"/>, Leader Completeness
    /// (when its node still is in that term: its log then is the one it leads with).</summary>
    private void CheckLeader(PeerActivation peer, RaftNode node, long term)
    {
        if (node.Term == term && node.Role != RaftRole.Leader) return;
        if (_leaders.TryGetValue(term, out var leader))
        {
            if (leader != peer.Name)
                throw new SafetyViolationException(Invariant.ElectionSafety, $"{peer.Name} and {leader} were both leaders in term {term}.");
            return;
        }
        _leaders[term] = peer.Name;
        if (node.Term != term) return;
        var mirror = _mirrors[peer];
        for (var index = Math.Max(1, mirror.Base); index <= _committed.Count; index++)
        {
            var committed = _committed[(int)index - 1];
            if (committed.KnownInTerm < node.Term && (mirror.LastIndex < index || mirror.ChainAt(index) != committed.Chain))
                throw new SafetyViolationException(Invariant.LeaderCompleteness,
                    $"{peer.Name} became leader of term {node.Term} without ({index}, term {committed.Term}), committed in term " +
                    $"{committed.KnownInTerm} (seen by {committed.Peer}). Its log terms: {DescribeTerms(mirror)}.");
        }
    }

    private void CheckCommit(PeerActivation peer, RaftNode node, long commit)
    {
        var last = _commit[peer];
        if (commit < last)
            throw new SafetyViolationException(Invariant.CommitMonotonic, $"{peer.Name}'s commit index went from {last} down to {commit}.");
        if (commit == last) return;
        var mirror = _mirrors[peer];
        for (var index = last + 1; index <= commit; index++) RecordCommit(peer.Name, node, mirror, index);
        _commit[peer] = commit;
    }

    private void RecordCommit(string peer, RaftNode node, LogMirror mirror, long index)
    {
        if (index <= mirror.Base)
        {
            // Committed by installing a snapshot: Sync already matched it against the committed prefix.
            CommittedChain(index);
            return;
        }
        var entry = mirror.EntryAt(index);
        var chain = mirror.ChainAt(index);
        if (index <= _committed.Count)
        {
            var earlier = _committed[(int)index - 1];
            if (earlier.Chain != chain)
                throw new SafetyViolationException(Invariant.StateMachineSafety,
                    $"{peer} committed ({index}, term {entry.Term}) but {earlier.Peer} had committed ({index}, term {earlier.Term}) " +
                    $"in term {earlier.KnownInTerm}. {peer}'s log terms: {DescribeTerms(mirror)}.");
            return;
        }
        _committed.Add(new Committed(entry.Term, chain, EntryHash.Of(entry), node.Term, peer));
        RecordCommittedConfiguration(entry);
        // Leaders of later terms already elected must hold it too.
        foreach (var (other, theirs) in _mirrors)
        {
            if (other.Node is not { Role: RaftRole.Leader } leader || leader.Term <= node.Term) continue;
            if (theirs.LastIndex < index || (index >= theirs.Base && theirs.ChainAt(index) != chain))
                throw new SafetyViolationException(Invariant.LeaderCompleteness,
                    $"{peer} committed ({index}, term {entry.Term}) in term {node.Term}, but {other.Name}, leader of term {leader.Term}, does not hold it.");
        }
    }

    /// <summary>A log's terms as runs, e.g. "1x3 2x5 4x1" (three entries of term 1, five of term 2, ...).</summary>
    internal static string DescribeTerms(LogMirror mirror)
    {
        if (mirror.LastIndex == mirror.Base) return mirror.Base == 0 ? "(empty)" : $"(snapshot through {mirror.Base}, no entries)";
        var runs = new List<string>();
        if (mirror.Base > 0) runs.Add($"snapshot through {mirror.Base}:");
        long term = mirror.EntryAt(mirror.Base + 1).Term, count = 0;
        for (var index = mirror.Base + 1; index <= mirror.LastIndex; index++)
        {
            var t = mirror.EntryAt(index).Term;
            if (t != term)
            {
                runs.Add($"{term}x{count}");
                term = t;
                count = 0;
            }
            count++;
        }
        runs.Add($"{term}x{count}");
        return string.Join(" ", runs);
    }
}
