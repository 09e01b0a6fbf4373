using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrleansRaft.Core;
using OrleansRaft.Core.Messages;

namespace OrleansRaft.Grains.Diagnostics;

/// <summary>
/// The instruments of the meter <c>OrleansRaft</c>, named as OpenTelemetry names them (dots, units in UCUM, counts
/// annotated as <c>{proposal}</c>), each tagged with its <c>group</c> and, where one peer's view differs from another's,
/// its <c>peer</c>. The peer grain calls one method per event; gauges read <see cref="PeerActivity"/>, never a node.
/// </summary>
public sealed class RaftMetrics
{
    public const string MeterName = "OrleansRaft";

    /// <summary>Seconds, from 100 µs to 10 s: a local commit takes about a millisecond, a stalled one seconds.</summary>
    private static readonly IReadOnlyList<double> LatencyBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly IReadOnlyList<int> SizeBuckets =
        [1 << 10, 16 << 10, 256 << 10, 1 << 20, 16 << 20, 256 << 20];

    private readonly PeerActivity _activity;
    private readonly Counter<long> _committed;
    private readonly Counter<long> _applied;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _leaderChanges;
    private readonly Counter<long> _elections;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _received;
    private readonly Counter<long> _snapshotsTaken;
    private readonly Counter<long> _snapshotsInstalled;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<double> _applyDuration;
    private readonly Histogram<double> _storageWriteDuration;
    private readonly Histogram<double> _readIndexDuration;
    private readonly Histogram<double> _snapshotDuration;
    private readonly Histogram<int> _snapshotSize;
    private readonly Histogram<double> _storageCommitDuration;
    private readonly Histogram<int> _storageBatchRows;

    public RaftMetrics(IMeterFactory meters, PeerActivity activity)
    {
        _activity = activity;
        var meter = meters.Create(MeterName);
        _committed = meter.CreateCounter<long>("orleansraft.proposals.committed", "{proposal}", "Proposals accepted by this peer as leader that committed");
        _applied = meter.CreateCounter<long>("orleansraft.proposals.applied", "{entry}", "Committed entries applied to this peer's state machine");
        _failed = meter.CreateCounter<long>("orleansraft.proposals.failed", "{proposal}", "Proposals that did not commit, by reason");
        _refused = meter.CreateCounter<long>("orleansraft.requests.refused", "{request}", "Proposals refused by a limit (uncommitted bytes, entry size)");
        _leaderChanges = meter.CreateCounter<long>("orleansraft.leader.changes", "{change}", "Leaders this peer learned of, one per term");
        _elections = meter.CreateCounter<long>("orleansraft.elections.started", "{election}", "Elections this peer started as candidate");
        _sent = meter.CreateCounter<long>("orleansraft.messages.sent", "{message}", "Raft messages sent, by type");
        _received = meter.CreateCounter<long>("orleansraft.messages.received", "{message}", "Raft messages received, by type");
        _snapshotsTaken = meter.CreateCounter<long>("orleansraft.snapshots.taken", "{snapshot}", "Snapshots this peer took of its state machine");
        _snapshotsInstalled = meter.CreateCounter<long>("orleansraft.snapshots.installed", "{snapshot}", "Snapshots from the leader this peer installed");
        _commitDuration = Latency(meter, "orleansraft.proposal.commit.duration", "From a proposal's acceptance by the leader to its commit");
        _applyDuration = Latency(meter, "orleansraft.apply.duration", "Applying one batch of committed entries to the state machine");
        _storageWriteDuration = Latency(meter, "orleansraft.storage.write.duration", "One durable write of a Ready (entries, hard state), fsync included");
        _readIndexDuration = Latency(meter, "orleansraft.read_index.duration", "From a linearizable read's arrival to its confirmation (ReadIndex)");
        _snapshotDuration = Latency(meter, "orleansraft.snapshot.duration", "Taking (and saving) or installing one snapshot");
        _storageCommitDuration = Latency(meter, "orleansraft.storage.commit.duration", "One transaction's COMMIT on the node's SQLite file: the fsync that every write in the batch shares");
        _storageBatchRows = meter.CreateHistogram("orleansraft.storage.batch.rows", "{row}", "Row writes of the node's peers carried by one SQLite transaction (group commit)", null,
            new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
        _snapshotSize = meter.CreateHistogram("orleansraft.snapshot.size", "By", "Size of the snapshots taken or installed", null,
            new InstrumentAdvice<int> { HistogramBucketBoundaries = SizeBuckets });

        meter.CreateObservableGauge("orleansraft.has_leader", () => Each(p => p.HasLeader ? 1 : 0), "{leader}", "1 when the peer knows a leader of its term");
        meter.CreateObservableGauge("orleansraft.is_leader", () => Each(p => p.IsLeader ? 1 : 0), "{leader}", "1 when the peer is its group's leader");
        meter.CreateObservableGauge("orleansraft.term", () => Each(p => p.Term), "{term}", "The peer's current term");
        meter.CreateObservableGauge("orleansraft.commit.index", () => Each(p => p.CommitIndex), "{entry}", "The peer's commit index");
        meter.CreateObservableGauge("orleansraft.proposals.pending", () => Each(p => (long)p.PendingProposals), "{proposal}", "Proposals waiting for commit at this peer");
        meter.CreateObservableGauge("orleansraft.applied.lag", () => Each(p => p.AppliedLag), "{entry}", "Entries committed but not yet applied at this peer");
        meter.CreateObservableGauge("orleansraft.replication.lag", ReplicationLag, "{entry}", "On the leader: entries each follower lacks of the leader's log");
    }

    public PeerActivity Activity => _activity;

    /// <summary>One transaction of the node's SQLite storage committed (node-local SQLite only; not per group).</summary>
    public void StorageCommitted(int rows, TimeSpan commit)
    {
        _storageCommitDuration.Record(commit.TotalSeconds);
        _storageBatchRows.Record(rows);
    }

    public void ProposalCommitted(string group, long acceptedAt)
    {
        _committed.Add(1, Group(group));
        _commitDuration.Record(Stopwatch.GetElapsedTime(acceptedAt).TotalSeconds, Group(group));
    }

    /// <summary>A proposal that will not commit as proposed: <paramref name="reason"/> is one of a few fixed words.</summary>
    public void ProposalFailed(string group, string reason, int count = 1)
    {
        if (count > 0) _failed.Add(count, Group(group), new("reason", reason));
    }

    /// <summary>A proposal the core refused. Limits count as refused requests too; every refusal is a failed proposal.</summary>
    public void ProposalRejected(string group, RejectReason reason)
    {
        var limit = reason switch
        {
            RejectReason.UncommittedLimitExceeded => "uncommitted_bytes",
            RejectReason.EntryTooLarge => "entry_size",
            _ => null,
        };
        if (limit is not null) _refused.Add(1, Group(group), new("limit", limit));
        ProposalFailed(group, reason switch
        {
            RejectReason.NotLeader => "not_leader",
            RejectReason.TransferInProgress => "transfer_in_progress",
            RejectReason.UncommittedLimitExceeded or RejectReason.EntryTooLarge => "limit",
            _ => "rejected",
        });
    }

    public void Applied(string group, string peer, int entries, long startedAt)
    {
        if (entries == 0) return;
        _applied.Add(entries, Group(group), new("peer", peer));
        _applyDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, Group(group));
    }

    public void StorageWritten(string group, long startedAt) =>
        _storageWriteDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, Group(group));

    public void ReadConfirmed(string group, long arrivedAt) =>
        _readIndexDuration.Record(Stopwatch.GetElapsedTime(arrivedAt).TotalSeconds, Group(group));

    public void SnapshotTaken(string group, int bytes, long startedAt) => Snapshot(_snapshotsTaken, group, "taken", bytes, startedAt);

    public void SnapshotInstalled(string group, int bytes, long startedAt) => Snapshot(_snapshotsInstalled, group, "installed", bytes, startedAt);

    public void RoleChanged(string group, string peer, RaftRole role, long term)
    {
        if (role != RaftRole.Candidate) return;
        _elections.Add(1, Group(group), new("peer", peer));
        _activity.Record(group, GroupEventKind.ElectionStarted, peer, term, null);
    }

    /// <summary>Called once per term in which the peer learns of a leader.</summary>
    public void LeaderSeen(string group, string peer, string leader, long term)
    {
        _leaderChanges.Add(1, Group(group), new("peer", peer));
        _activity.Record(group, GroupEventKind.LeaderElected, peer, term, leader);
    }

    public void Sent(string group, RaftMessage message) => _sent.Add(1, Group(group), new("type", TypeOf(message)));

    public void Received(string group, RaftMessage message) => _received.Add(1, Group(group), new("type", TypeOf(message)));

    private void Snapshot(Counter<long> counter, string group, string kind, int bytes, long startedAt)
    {
        counter.Add(1, Group(group));
        _snapshotSize.Record(bytes, Group(group), new("kind", kind));
        _snapshotDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, Group(group), new("kind", kind));
    }

    private IEnumerable<Measurement<long>> Each(Func<PeerSnapshot, long> value) =>
        _activity.Peers.Select(p => new Measurement<long>(value(p), Group(p.Group), new("peer", p.Peer)));

    private IEnumerable<Measurement<long>> ReplicationLag() =>
        _activity.Peers.SelectMany(p => p.Followers.Select(f => new Measurement<long>(f.Lag, Group(p.Group), new("peer", p.Peer), new("follower", f.Peer))));

    private static Histogram<double> Latency(Meter meter, string name, string description) =>
        meter.CreateHistogram(name, "s", description, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    private static KeyValuePair<string, object?> Group(string group) => new("group", group);

    /// <summary>Fixed names, so that a tag value never allocates and never grows with the traffic.</summary>
    private static string TypeOf(RaftMessage message) => message switch
    {
        AppendEntries => "append_entries",
        AppendEntriesReply => "append_entries_reply",
        Heartbeat => "heartbeat",
        HeartbeatReply => "heartbeat_reply",
        RequestVote { PreVote: true } => "pre_vote",
        RequestVote => "request_vote",
        RequestVoteReply { PreVote: true } => "pre_vote_reply",
        RequestVoteReply => "request_vote_reply",
        InstallSnapshot => "install_snapshot",
        InstallSnapshotReply => "install_snapshot_reply",
        TimeoutNow => "timeout_now",
        _ => "other",
    };
}
