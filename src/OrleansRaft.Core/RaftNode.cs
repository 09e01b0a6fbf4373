using OrleansRaft.Core.Membership;
using OrleansRaft.Core.Messages;
using OrleansRaft.Core.Tracking;

namespace OrleansRaft.Core;

/// <summary>
/// One Raft peer as a pure, deterministic state machine (modelled on etcd-io/raft). It never does I/O,
/// never reads a clock and never starts a thread: the caller feeds it <see cref="Step"/>, <see cref="Tick"/>,
/// <see cref="Propose"/> and <see cref="ReadIndex"/>, and carries out each <see cref="Ready"/> it hands back.
/// Same config (seed included), same inputs: same outputs.
/// </summary>
public sealed partial class RaftNode
{
    private readonly RaftConfig _config;
    private readonly Configuration _bootstrap;
    private readonly Random _random;
    private readonly RaftLog _log;
    private readonly Dictionary<string, Progress> _progress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _votes = new(StringComparer.Ordinal);
    private List<RaftMessage> _outbox = [];

    private int _electionElapsed;
    private int _heartbeatElapsed;
    private int _randomizedElectionTimeout;
    private HardState _lastHardState;
    private bool _readyOutstanding;
    private bool _broadcastPending;
    private long _uncommittedBytes;

    /// <summary>Starts a node from its persisted state (<see cref="PersistedState.Empty"/> for a brand-new one).</summary>
    public RaftNode(RaftConfig config, PersistedState? restored = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _config = config;
        _random = new Random(config.RandomSeed);
        _bootstrap = new Configuration(config.Peers, []);
        restored ??= PersistedState.Empty;

        var hard = restored.HardState;
        if (config.Bugs.HasFlag(PlantedBugs.ForgetVoteOnRestart)) hard = hard with { Vote = null };
        _log = RaftLog.Recover(restored.Snapshot, restored.Entries, hard.Commit, _bootstrap, out var storeIsStale);
        _snapshot = restored.Snapshot;
        // The stored log does not continue the snapshot: hand the snapshot out again, so that the host clears the
        // log store (Ready contract) before it appends anything after the snapshot.
        if (storeIsStale) _snapshotToInstall = restored.Snapshot;
        Term = hard.Term;
        Vote = hard.Vote;
        _lastHardState = CurrentHardState;
        BecomeFollower(Term, leader: null);
    }

    public string Id => _config.Id;

    public RaftConfig Config => _config;

    /// <summary>The configuration in force: the latest one in this node's log, committed or not (see <see cref="ConfigChange"/>).</summary>
    public Configuration Configuration => _log.Configs.Current;

    /// <summary>Index of the latest membership change entry in the log, or 0 when the log holds none.</summary>
    public long ConfigurationIndex => _log.Configs.LatestIndex;

    /// <summary>Whether this node votes in <see cref="Configuration"/>: only voters campaign.</summary>
    public bool IsVoter => Configuration.IsVoter(Id);

    public long Term { get; private set; }

    public string? Vote { get; private set; }

    public RaftRole Role { get; private set; }

    /// <summary>The leader this node follows in <see cref="Term"/>, itself when leading, or null when unknown.</summary>
    public string? Leader { get; private set; }

    public long CommitIndex => _log.Committed;

    public long AppliedIndex => _log.Applied;

    public long LastIndex => _log.LastIndex;

    public long LastTerm => _log.LastTerm;

    public long FirstIndex => _log.FirstIndex;

    /// <summary>Entries up to here are durable (acknowledged through <see cref="Advance"/>).</summary>
    public long StableIndex => _log.Stabled;

    public SoftState SoftState => new(Role, Leader, Term);

    public HardState CurrentHardState => new(Term, Vote, _log.Committed);

    /// <summary>The entry at <paramref name="index"/>, or null when this node does not hold it.</summary>
    public Entry? EntryAt(long index) => _log.Holds(index) ? _log.EntryAt(index) : null;

    /// <summary>Term of the entry at <paramref name="index"/>, or -1 when not held.</summary>
    public long TermAt(long index) => _log.TermAt(index);

    /// <summary>Advances logical time by one tick: elections and heartbeats are counted in ticks.</summary>
    public void Tick()
    {
        if (_quiescent) return;
        if (Role == RaftRole.Leader) TickLeader();
        else TickElection();
        TickQuiescence();
    }

    /// <summary>Proposes a command. Only a leader accepts; see <see cref="ProposeResult"/> for what acceptance means.</summary>
    public ProposeResult Propose(byte[] command)
    {
        ArgumentNullException.ThrowIfNull(command);
        WakeForRequest();
        if (Role != RaftRole.Leader) return ProposeResult.Rejected(RejectReason.NotLeader, Leader);
        if (_leadTransferee is not null) return ProposeResult.Rejected(RejectReason.TransferInProgress, Id, $"leadership is being transferred to {_leadTransferee}");
        if (command.Length > _config.MaxEntryBytes) return ProposeResult.Rejected(RejectReason.EntryTooLarge, Id);
        var entry = new Entry(_log.LastIndex + 1, Term, EntryType.Normal, command);
        if (_uncommittedBytes > 0 && _uncommittedBytes + entry.Size > _config.MaxUncommittedBytes)
            return ProposeResult.Rejected(RejectReason.UncommittedLimitExceeded, Id);
        _uncommittedBytes += entry.Size;
        AppendAsLeader(entry);
        return ProposeResult.Ok(entry.Index, entry.Term);
    }

    private static bool IsFromLeader(RaftMessage m) => m is AppendEntries or Heartbeat or InstallSnapshot;

    private void Send(RaftMessage message) => _outbox.Add(message);

    private void ResetRandomizedElectionTimeout() =>
        _randomizedElectionTimeout = _config.ElectionTicks + _random.Next(_config.ElectionTicks);

    /// <summary>The voters of the configuration in force, this node excluded.</summary>
    private IEnumerable<string> OtherVoters()
    {
        foreach (var peer in Configuration.Voters)
            if (peer != Id) yield return peer;
    }

    /// <summary>Voters and learners of the configuration in force, this node excluded.</summary>
    private IEnumerable<string> OtherMembers()
    {
        foreach (var peer in Configuration.Members)
            if (peer != Id) yield return peer;
    }
}
