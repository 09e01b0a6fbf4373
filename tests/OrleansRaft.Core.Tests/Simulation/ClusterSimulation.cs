using OrleansRaft.Core.Tests.Simulation.Clients;
using OrleansRaft.Core.Tests.Simulation.Faults;
using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Invariants;
using OrleansRaft.Core.Tests.Simulation.Kv;
using OrleansRaft.Core.Tests.Simulation.Network;
using OrleansRaft.Core.Tests.Simulation.Peers;
using OrleansRaft.Testing.Linearizability;
using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>
/// One deterministic run: a cluster of simulated peers running the KV service, clients recording a history,
/// a nemesis injecting the run's faults, and the safety checker watching every step. Everything random draws
/// from one <see cref="Random"/> seeded with the run's seed, and nothing reads a real clock, so a seed replays
/// bit for bit.
/// </summary>
internal sealed partial class ClusterSimulation
{
    /// <summary>Every this many events, the checker re-reads every log in full (a backstop for its hints).</summary>
    private const int FullCheckInterval = 4096;

    /// <summary>A run that completes fewer operations did not exercise the cluster (typical runs complete hundreds).</summary>
    private const int MinCompletedOperations = 20;

    private readonly SimulationOptions _options;
    private readonly Random _random;
    private readonly EventQueue _queue = new();
    private readonly SimNetwork _network;
    private readonly List<SimPeer> _peers = [];
    private readonly Dictionary<string, SimPeer> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (RaftRole Role, long Term)> _roles = new(StringComparer.Ordinal);
    private readonly SafetyChecker _checker = new();
    private readonly Nemesis? _nemesis;
    private readonly List<SimClient> _clients = [];
    private readonly History<KvInput, KvOutput> _history;
    private readonly TraceLog _trace;

    /// <summary>The group's bootstrap voters: every peer's <see cref="RaftConfig.Peers"/>, peers added later included.</summary>
    private readonly IReadOnlyList<string> _ids;
    private readonly PeerServices _services;
    private long _nextReadContext;
    private int _crashes;
    private int _duplicates;
    private int _fenced;
    private int _snapshotsTaken;
    private int _snapshotsInstalled;

    /// <summary>Draws the run for <paramref name="seed"/> and builds it; <paramref name="adjust"/> may override
    /// options that are not drawn (which checks run), never ones that are.</summary>
    public static ClusterSimulation FromSeed(
        int seed, int nodes, PlantedBugs bugs = PlantedBugs.None, Func<SimulationOptions, SimulationOptions>? adjust = null)
    {
        var random = new Random(seed);
        var options = SimulationOptions.Draw(seed, nodes, bugs, random);
        return new ClusterSimulation(adjust is null ? options : adjust(options), random);
    }

    public ClusterSimulation(SimulationOptions options, Random random)
    {
        _options = options;
        _random = random;
        _trace = new TraceLog(_queue, TraceCapacity);
        _history = new History<KvInput, KvOutput>(_queue.Stamp);
        _network = new SimNetwork(_queue, _random, message =>
        {
            if (_byId.TryGetValue(message.To, out var peer)) peer.Deliver(message);
        });
        _ids = [.. Enumerable.Range(1, options.Nodes).Select(i => $"n{i}")];
        _services = new PeerServices(Configure, activation => new KvServer { Peer = activation }, _queue, _network, _random,
            WriteDuration, this, options.Snapshots, options.Fencing);
        foreach (var id in _ids) CreatePeer(id);
        if (options.Faults is not null) _nemesis = new Nemesis(this, options.Faults, options.ElectionTicks * VirtualTime.Tick);
        var settings = new ClientSettings
        {
            Keys = [.. Enumerable.Range(0, options.Keys).Select(k => $"k{k}")],
            AttemptTimeout = 30 * VirtualTime.Tick,
            GiveUpAfter = 300 * VirtualTime.Tick,
            MaxThinkTime = 3 * VirtualTime.Tick,
            RetryBackoff = 2 * VirtualTime.Tick,
            HoldUntil = options.Quiesce is { } quiet ? quiet.HoldUntil : null,
        };
        for (var c = 0; c < options.Clients; c++)
            _clients.Add(new SimClient(c + 1, _queue, _random, this, settings, _history, () => ++_nextReadContext));
    }

    /// <summary>How many notable events a failure report shows (raise it when debugging a seed).</summary>
    public static int TraceCapacity { get; set; } = 60;

    /// <summary>The last notable events, as printed in a failure report.</summary>
    public string Trace => _trace.ToString();
    public SimulationOptions Options => _options;

    public IReadOnlyList<Operation<KvInput, KvOutput>> History => _history.Operations;

    /// <summary>Runs to the end and checks the history. Throws <see cref="SimulationFailedException"/> on any failure.</summary>
    public SimulationResult Run()
    {
        // Safety first (every step, then the history), liveness last: a bug that breaks both is reported as
        // what it breaks first.
        Guarded(RunEvents);
        CheckHistory();
        Guarded(Settle);
        return new SimulationResult(_options.Seed, _queue.Executed, _network.Delivered, _checker.Elections,
            _checker.CommittedIndex, _history.Count, _history.CompletedCount, _nemesis?.Actions ?? 0, _crashes,
            _snapshotsTaken, _snapshotsInstalled, _duplicates, _fenced, _added, _changesCommitted, _transfersStarted, _transfersDone,
            _quiesced, _wakeUps);
    }

    private void Guarded(Action phase)
    {
        try
        {
            phase();
        }
        catch (Exception e)
        {
            var where = $"at {VirtualTime.Format(_queue.Now)} (event {_queue.Executed})";
            throw new SimulationFailedException(_options, $"{e.Message} [{where}]", _trace.ToString(), e);
        }
    }

    private void RunEvents()
    {
        foreach (var peer in _peers)
        {
            peer.Start();
            StartTicking(peer);
        }
        foreach (var client in _clients) client.Start();
        _nemesis?.Start();

        var calmAt = (long)(_options.Ticks - _options.CalmTicks) * VirtualTime.Tick;
        var endAt = (long)_options.Ticks * VirtualTime.Tick;
        if (_nemesis is not null) _queue.At(calmAt, _nemesis.Calm);
        _queue.At(endAt, () =>
        {
            foreach (var client in _clients) client.Stop();
        });

        var drainedAt = endAt + (long)_options.DrainTicks * VirtualTime.Tick;
        // A healthy run takes a few dozen events per peer and tick; far more means a message storm.
        // Membership changes run a few more peers at a time (learners, and removed peers not yet shut down).
        var budget = 40L * (_options.Ticks + _options.DrainTicks) * (_options.Nodes + (Membership is null ? 0 : 3));
        while (_queue.RunNext(drainedAt))
        {
            if (_options.CheckSafety && _queue.Executed % FullCheckInterval == 0) _checker.VerifyAll();
            if (_queue.Executed > budget)
                throw new InvalidOperationException(
                    $"Event budget of {budget} exceeded: a message storm or livelock. Traffic: {_network.DescribeTraffic()}.");
        }
        if (_options.CheckSafety) _checker.VerifyAll();
    }

    private void TickLoop(SimPeer peer, long period)
    {
        if (peer.Decommissioned) return;
        peer.Tick();
        _queue.After(period, () => TickLoop(peer, period));
    }

    private RaftConfig Configure(SimPeer peer) => new()
    {
        Id = peer.Id,
        Peers = _ids,
        ElectionTicks = _options.ElectionTicks,
        HeartbeatTicks = _options.HeartbeatTicks,
        PreVote = _options.PreVote,
        CheckQuorum = _options.CheckQuorum,
        MaxInflightMessages = _options.MaxInflightMessages,
        MaxMessageBytes = _options.MaxMessageBytes,
        MaxEntryBytes = _options.MaxEntryBytes,
        MaxUncommittedBytes = _options.MaxUncommittedBytes,
        MaxSnapshotChunkBytes = _options.MaxSnapshotChunkBytes,
        QuiesceTicks = _options.Quiesce?.QuiesceTicks ?? 0,
        // A restarted node draws new election jitter, as a real process would.
        RandomSeed = _random.Next(),
        Bugs = _options.Bugs,
    };

    private long WriteDuration(PeerActivation activation, Ready ready)
    {
        var duration = ready.HardState is null && ready.Entries.Count == 0 && ready.Snapshot is null
            ? 0
            : _options.WriteMin + (long)(_random.NextDouble() * (_options.WriteMax - _options.WriteMin));
        if (IsCurrent(activation)) _nemesis?.OnWriteStarted(activation.Peer, ready, duration);
        return duration;
    }

    /// <summary>Faults that target "the peer" (crash it, pause it) act on its current activation, so only that one's
    /// events trigger them.</summary>
    private static bool IsCurrent(PeerActivation activation) => activation.Peer.Current == activation;
}
