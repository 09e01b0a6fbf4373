using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tracking;

namespace OrleansRaft.Core;

public sealed partial class RaftNode
{
    private Snapshot? _snapshot;
    private Snapshot? _snapshotToInstall;
    private IncomingSnapshot? _incoming;

    /// <summary>A snapshot arriving chunk by chunk from one leader. (From, Term, Index) names its bytes: two
    /// replicas may encode the same state differently, so chunks of different senders never mix.</summary>
    private sealed class IncomingSnapshot(string from, long term, long index, long indexTerm)
    {
        private readonly MemoryStream _bytes = new();

        public bool IsFrom(InstallSnapshot m) =>
            m.From == from && m.Term == term && m.SnapshotIndex == index && m.SnapshotTerm == indexTerm;

        public long Length => _bytes.Length;

        public void Append(byte[] data) => _bytes.Write(data);

        public Snapshot Complete(Membership.Configuration configuration) => new(index, indexTerm, _bytes.ToArray(), configuration);
    }

    /// <summary>The latest snapshot this node took or installed, or null. A leader sends it to followers that need
    /// entries it has compacted away.</summary>
    public Snapshot? Snapshot => _snapshot;

    /// <summary>
    /// Records a snapshot of the state machine as of <paramref name="index"/>, which must be applied (acknowledged
    /// through <see cref="Advance"/>) and newer than the current snapshot. The caller persists the returned
    /// snapshot, and only once it is durable compacts its log store and calls <see cref="Compact"/>.
    /// </summary>
    public Snapshot CreateSnapshot(long index, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (index > _log.Applied)
            throw new InvalidOperationException($"Cannot snapshot at index {index}: only {_log.Applied} is applied.");
        if (index <= (_snapshot?.Index ?? 0) || index < _log.FirstIndex)
            throw new InvalidOperationException($"Cannot snapshot at index {index}: the current snapshot already covers up to {_snapshot?.Index ?? 0}.");
        _snapshot = new Snapshot(index, _log.TermAt(index), data, _log.Configs.At(index));
        return _snapshot;
    }

    /// <summary>Discards log entries up to <paramref name="throughIndex"/>, at most the snapshot's index. Keeping some
    /// entries below it lets a follower that is only a little behind catch up from the log instead of a snapshot.</summary>
    public void Compact(long throughIndex)
    {
        if (_snapshot is null || throughIndex > _snapshot.Index)
            throw new InvalidOperationException($"Cannot compact through index {throughIndex}: no snapshot covers it (snapshot: {_snapshot?.Index ?? 0}).");
        _log.CompactTo(throughIndex);
    }

    /// <summary>Starts (or restarts) sending the snapshot to a follower whose next entry was compacted away.</summary>
    private void SendSnapshot(string peer, Progress progress)
    {
        var snapshot = _snapshot
            ?? throw new InvalidOperationException($"{Id} compacted its log without a snapshot to send to {peer}.");
        progress.BecomeSnapshot(snapshot.Index);
        SendSnapshotChunk(peer, progress, offset: 0);
    }

    private void SendSnapshotChunk(string peer, Progress progress, long offset)
    {
        var data = _snapshot!.Data;
        offset = Math.Clamp(offset, 0, data.Length);
        var length = (int)Math.Min(_config.MaxSnapshotChunkBytes, data.Length - offset);
        var done = offset + length == data.Length;
        Send(new InstallSnapshot(Id, peer, Term, _snapshot.Index, _snapshot.Term, offset, data.AsSpan((int)offset, length).ToArray(), done,
            _snapshot.Configuration ?? _bootstrap));
        progress.SnapshotSentEnd = offset + length;
        progress.SnapshotProgressed = true;
    }

    /// <summary>Leader: the follower asks for the chunk at NextOffset. Only the answer to the chunk sent last moves
    /// the transfer on, so duplicated or stale answers cannot multiply the chunks in flight; a lost chunk or
    /// answer is resent from the heartbeat (<see cref="ResendStalledSnapshot"/>).</summary>
    private void HandleInstallSnapshotReply(InstallSnapshotReply reply, Progress progress)
    {
        if (progress.State != ProgressState.Snapshot || reply.SnapshotIndex != progress.PendingSnapshot) return;
        if (_snapshot!.Index != progress.PendingSnapshot)
        {
            SendSnapshot(reply.From, progress); // a newer snapshot replaced the one being sent: send that one
            return;
        }
        progress.SnapshotOffset = reply.NextOffset;
        if (reply.NextOffset == progress.SnapshotSentEnd && reply.NextOffset < _snapshot.Data.Length)
            SendSnapshotChunk(reply.From, progress, reply.NextOffset);
    }

    /// <summary>Leader, on a heartbeat answer: if nothing moved since the last one, a chunk or its answer was lost
    /// (or the follower restarted): resend from where the follower last asked.</summary>
    private void ResendStalledSnapshot(string peer, Progress progress)
    {
        if (progress.SnapshotProgressed)
        {
            progress.SnapshotProgressed = false;
            return;
        }
        if (_snapshot!.Index != progress.PendingSnapshot) SendSnapshot(peer, progress);
        else SendSnapshotChunk(peer, progress, progress.SnapshotOffset);
    }

    /// <summary>Follower: collects chunks in order; a chunk out of place is answered with the offset wanted.</summary>
    private void HandleInstallSnapshot(InstallSnapshot m)
    {
        if (m.SnapshotIndex <= _log.Committed)
        {
            // Never go back: what we committed already covers this snapshot (§7, "If existing log entry has same
            // index and term as snapshot's last included entry, retain log entries following it").
            _incoming = null;
            Send(new AppendEntriesReply(Id, m.From, Term, true, _log.Committed, 0, 0));
            return;
        }
        if (_incoming is null || !_incoming.IsFrom(m))
        {
            _incoming = null;
            if (m.Offset != 0)
            {
                Send(new InstallSnapshotReply(Id, m.From, Term, m.SnapshotIndex, 0));
                return;
            }
            _incoming = new IncomingSnapshot(m.From, m.Term, m.SnapshotIndex, m.SnapshotTerm);
        }
        if (m.Offset != _incoming.Length)
        {
            Send(new InstallSnapshotReply(Id, m.From, Term, m.SnapshotIndex, _incoming.Length));
            return;
        }
        _incoming.Append(m.Data);
        if (!m.Done)
        {
            Send(new InstallSnapshotReply(Id, m.From, Term, m.SnapshotIndex, _incoming.Length));
            return;
        }
        var snapshot = _incoming.Complete(m.Configuration ?? _bootstrap);
        _incoming = null;
        Install(snapshot, m.From);
    }

    private void Install(Snapshot snapshot, string leader)
    {
        if (_log.MatchTerm(snapshot.Index, snapshot.Term))
        {
            // Our log already holds this prefix (Log Matching): it is committed, and the entries after it stay.
            _log.CommitTo(snapshot.Index);
        }
        else
        {
            _log.RestoreFrom(snapshot);
            _snapshot = snapshot;
            _snapshotToInstall = snapshot;
        }
        // Sent with the Ready that persists the snapshot, so only once it is durable.
        Send(new AppendEntriesReply(Id, leader, Term, true, snapshot.Index, 0, 0));
    }
}
