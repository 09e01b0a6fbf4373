using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Simulation.Invariants;

/// <summary>
/// Checks Raft's safety properties (Figure 3) after every step of every peer, over the whole history of the run
/// (across crashes and restarts), and throws <see cref="SafetyViolationException"/> at the first step that breaks
/// one:
/// <list type="bullet">
/// <item>Election Safety: at most one leader per term, ever.</item>
/// <item>Log Matching: two logs holding an entry with the same index and term hold the same prefix up to it
/// (prefix hashes, recorded per (index, term) the first time any log holds it).</item>
/// <item>Leader Completeness: a leader holds every entry committed in an earlier term.</item>
/// <item>State Machine Safety: every peer applies the entry recorded as committed at each index.</item>
/// <item>Commit bookkeeping: a node's commit index never decreases within one incarnation, a committed entry
/// is never overwritten, and nothing is applied beyond the commit index.</item>
/// </list>
/// </summary>
internal sealed class SafetyChecker
{
    private readonly record struct Committed(long Term, ulong Chain, ulong Hash, long KnownInTerm, string Peer);

    private readonly Dictionary<string, LogMirror> _mirrors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _commit = new(StringComparer.Ordinal);
    private readonly Dictionary<(long Index, long Term), (ulong Chain, string Peer)> _entries = [];
    private readonly Dictionary<long, string> _leaders = [];
    private readonly List<Committed> _committed = [];
    private readonly List<SimPeer> _peers = [];

    /// <summary>Highest index known committed anywhere.</summary>
    public long CommittedIndex => _committed.Count;

    /// <summary>Terms that had a leader.</summary>
    public int Elections => _leaders.Count;

    public void Register(SimPeer peer)
    {
        _peers.Add(peer);
        _mirrors[peer.Id] = new LogMirror();
        _commit[peer.Id] = 0;
    }

    /// <summary>A new incarnation: re-read its whole log, and check that what it restored as committed is.</summary>
    public void OnStarted(SimPeer peer)
    {
        var node = peer.Node!;
        var mirror = _mirrors[peer.Id];
        mirror.Clear();
        RecordEntries(peer.Id, mirror, mirror.Sync(node, 1, CommittedChain));
        _commit[peer.Id] = 0;
        CheckCommit(peer, node);
    }

    public void OnChanged(SimPeer peer, long changedFrom)
    {
        var node = peer.Node!;
        var mirror = _mirrors[peer.Id];
        var before = mirror.LastIndex;
        var changed = mirror.Sync(node, changedFrom, CommittedChain);
        CheckSnapshotTerm(peer, node, mirror);
        if (changed <= before && changed <= _commit[peer.Id])
            throw new SafetyViolationException(Invariant.StateMachineSafety,
                $"{peer.Id} replaced its entry at index {changed}, at or below its commit index {_commit[peer.Id]}.");
        RecordEntries(peer.Id, mirror, changed);
        CheckLeader(peer, node);
        CheckCommit(peer, node);
        if (node.AppliedIndex > node.CommitIndex)
            throw new SafetyViolationException(Invariant.AppliedBeyondCommitted,
                $"{peer.Id} applied up to {node.AppliedIndex} but has committed only up to {node.CommitIndex}.");
    }

    /// <summary>State Machine Safety: the entry applied at an index is the one committed there.</summary>
    public void OnApplied(SimPeer peer, Entry entry)
    {
        var node = peer.Node!;
        if (entry.Index > node.CommitIndex)
            throw new SafetyViolationException(Invariant.AppliedBeyondCommitted,
                $"{peer.Id} applied index {entry.Index} beyond its commit index {node.CommitIndex}.");
        if (entry.Index > _committed.Count)
            throw new SafetyViolationException(Invariant.StateMachineSafety,
                $"{peer.Id} applied index {entry.Index}, which no node has committed (highest committed: {_committed.Count}).");
        var committed = _committed[(int)entry.Index - 1];
        if (committed.Hash != EntryHash.Of(entry))
            throw new SafetyViolationException(Invariant.StateMachineSafety,
                $"{peer.Id} applied ({entry.Index}, term {entry.Term}) but ({entry.Index}, term {committed.Term}) was committed there (seen by {committed.Peer}).");
    }

    /// <summary>State Machine Safety through snapshots: a state machine that took or restored a snapshot at index i
    /// has applied exactly the committed prefix up to i (its applied-prefix hash says which entries it holds).</summary>
    public void OnSnapshot(SimPeer peer, Snapshot snapshot, SnapshotEvent @event)
    {
        var what = @event.ToString().ToLowerInvariant();
        var committed = CommittedChain(snapshot.Index);
        if (snapshot.Term != _committed[(int)snapshot.Index - 1].Term)
            throw new SafetyViolationException(Invariant.StateMachineSafety,
                $"{peer.Id} {what} {snapshot}, but the entry committed at {snapshot.Index} has term {_committed[(int)snapshot.Index - 1].Term}.");
        var app = peer.Application;
        if (app.AppliedIndex != snapshot.Index || app.AppliedChain != committed)
            throw new SafetyViolationException(Invariant.StateMachineSafety,
                $"{peer.Id} {what} {snapshot}, but that state machine applied up to {app.AppliedIndex} a prefix other than the committed one.");
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
    private void CheckSnapshotTerm(SimPeer peer, RaftNode node, LogMirror mirror)
    {
        if (mirror.Base == 0) return;
        var expected = _committed[(int)mirror.Base - 1].Term;
        if (node.TermAt(mirror.Base) != expected)
            throw new SafetyViolationException(Invariant.LogMatching,
                $"{peer.Id}'s log starts after index {mirror.Base} with term {node.TermAt(mirror.Base)}, but term {expected} was committed there.");
    }

    /// <summary>Re-reads every running node's whole log: a backstop for a change the per-step hints missed.</summary>
    public void VerifyAll()
    {
        foreach (var peer in _peers)
            if (peer.Node is not null) OnChanged(peer, 1);
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

    private void CheckLeader(SimPeer peer, RaftNode node)
    {
        if (node.Role != RaftRole.Leader) return;
        if (_leaders.TryGetValue(node.Term, out var leader))
        {
            if (leader != peer.Id)
                throw new SafetyViolationException(Invariant.ElectionSafety, $"{peer.Id} and {leader} were both leaders in term {node.Term}.");
            return;
        }
        _leaders[node.Term] = peer.Id;
        var mirror = _mirrors[peer.Id];
        for (var index = Math.Max(1, mirror.Base); index <= _committed.Count; index++)
        {
            var committed = _committed[(int)index - 1];
            if (committed.KnownInTerm < node.Term && (mirror.LastIndex < index || mirror.ChainAt(index) != committed.Chain))
                throw new SafetyViolationException(Invariant.LeaderCompleteness,
                    $"{peer.Id} became leader of term {node.Term} without ({index}, term {committed.Term}), committed in term " +
                    $"{committed.KnownInTerm} (seen by {committed.Peer}). Its log terms: {DescribeTerms(mirror)}.");
        }
    }

    private void CheckCommit(SimPeer peer, RaftNode node)
    {
        var last = _commit[peer.Id];
        var commit = node.CommitIndex;
        if (commit < last)
            throw new SafetyViolationException(Invariant.CommitMonotonic, $"{peer.Id}'s commit index went from {last} down to {commit}.");
        if (commit == last) return;
        var mirror = _mirrors[peer.Id];
        for (var index = last + 1; index <= commit; index++) RecordCommit(peer.Id, node, mirror, index);
        _commit[peer.Id] = commit;
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
        // Leaders of later terms already elected must hold it too.
        foreach (var other in _peers)
        {
            if (other.Node is not { Role: RaftRole.Leader } leader || leader.Term <= node.Term) continue;
            var theirs = _mirrors[other.Id];
            if (theirs.LastIndex < index || (index >= theirs.Base && theirs.ChainAt(index) != chain))
                throw new SafetyViolationException(Invariant.LeaderCompleteness,
                    $"{peer} committed ({index}, term {entry.Term}) in term {node.Term}, but {other.Id}, leader of term {leader.Term}, does not hold it.");
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
