using OrleansRaft.Core.Tests.Simulation.Infrastructure;
using OrleansRaft.Core.Tests.Simulation.Invariants;
using OrleansRaft.Core.Tests.Simulation.Network;
using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Lab;

/// <summary>
/// The MIT 6.5840 lab 3 test harness (its <c>config.go</c>) on the simulator: servers that can be disconnected,
/// crashed and restarted from what they persisted, a reliable or unreliable network, RPC counting, and the
/// lab's checks. Time is virtual: <see cref="Sleep"/> runs the cluster instead of waiting. Writes are durable
/// at once, as with the lab's Persister. The simulator's safety checker also watches every step.
/// </summary>
internal sealed partial class LabConfig : IPeerObserver
{
    /// <summary>The lab's RaftElectionTimeout: the tests wait this long for the cluster to react.</summary>
    public static readonly long RaftElectionTimeout = 1000 * VirtualTime.Millisecond;

    /// <summary>The lab's limit on one test (cfg.checkTimeout), in virtual time here.</summary>
    private static readonly long TestTimeout = 120 * VirtualTime.Second;

    /// <summary>A tick is 10 ms: heartbeats every 100 ms (the lab allows at most ten per second), elections after
    /// 300 to 600 ms of silence, so a leader is elected well within the lab's five seconds.</summary>
    private const int HeartbeatTicks = 10;
    private const int ElectionTicks = 30;

    private readonly EventQueue _queue = new();
    private readonly SimNetwork _network;
    private readonly List<SimPeer> _peers = [];
    private readonly string[] _ids;
    private readonly Dictionary<long, long?>[] _logs;
    private readonly SafetyChecker _checker = new();
    private readonly Coroutines _routines;

    /// <summary>The lab's SnapShotInterval: with snapshots on, every server snapshots every this many applied entries.</summary>
    public const int SnapShotInterval = 10;

    /// <param name="snapshot">The lab's applierSnap: servers snapshot their state every <see cref="SnapShotInterval"/>
    /// entries and compact their logs.</param>
    public LabConfig(int servers, bool unreliable, int seed, bool snapshot = false)
    {
        Random = new Random(seed);
        _routines = new Coroutines(_queue);
        _ids = [.. Enumerable.Range(0, servers).Select(i => $"s{i}")];
        _logs = [.. Enumerable.Range(0, servers).Select(_ => new Dictionary<long, long?>())];
        _network = new SimNetwork(_queue, Random, message => _peers[Index(message.To)].Deliver(message));
        for (var i = 0; i < servers; i++)
        {
            var applier = new LabApplier(i, this);
            var peer = new SimPeer(_ids[i], new PeerServices(Configure, _ => applier, _queue, _network, Random, (_, _) => 0, this,
                snapshot ? new SnapshotPolicy(SnapShotInterval, 0) : SnapshotPolicy.Never, FencingPolicy.PerPeer), segmentEntries: 1);
            _peers.Add(peer);
            _checker.Register(peer);
        }
        SetUnreliable(unreliable);
        for (var i = 0; i < servers; i++)
        {
            Start1(i);
            Connect(i);
            var peer = _peers[i];
            _queue.At((long)(Random.NextDouble() * VirtualTime.Tick), () => TickLoop(peer));
        }
    }

    /// <summary>The test's random numbers (commands, victims, sleeps) come from the same seeded source.</summary>
    public Random Random { get; }

    public int Servers => _peers.Count;

    public long Now => _queue.Now;

    /// <summary>Runs the cluster for <paramref name="duration"/> of virtual time.</summary>
    public void Sleep(long duration)
    {
        var until = _queue.Now + duration;
        if (until > TestTimeout) throw new LabFailure("test took longer than 120 seconds");
        _queue.RunUntil(until);
    }

    public static long Ms(long milliseconds) => milliseconds * VirtualTime.Millisecond;

    /// <summary>Starts a goroutine.</summary>
    public Coroutines.Handle Go(IEnumerable<long> routine) => _routines.Spawn(routine);

    /// <summary>Runs the cluster until <paramref name="routine"/> returns (a blocking call in the lab).</summary>
    public void Run(IEnumerable<long> routine)
    {
        var handle = _routines.Spawn(routine);
        while (!handle.Done)
        {
            if (_queue.Now > TestTimeout) throw new LabFailure("test took longer than 120 seconds");
            _queue.RunNext(long.MaxValue);
        }
    }

    /// <summary>Virtual time, RPCs and agreement so far, for a test's output.</summary>
    public string Summary()
    {
        var committed = _logs.Max(log => log.Count == 0 ? 0 : log.Keys.Max());
        var commands = _logs.Max(log => log.Values.Count(v => v is not null));
        return $"{Now / (double)VirtualTime.Second:0.0} s virtual, {RpcTotal} RPCs, {_queue.Executed} events, " +
               $"{_checker.Elections} terms with a leader, highest applied index {committed} ({commands} commands)";
    }

    internal void RecordApplied(int server, long index, long? value)
    {
        for (var j = 0; j < _logs.Length; j++)
            if (_logs[j].TryGetValue(index, out var old) && old != value)
                throw new LabFailure($"commit index={index} server={server} {Show(value)} != server={j} {Show(old)}");
        _logs[server][index] = value;
    }

    private static string Show(long? value) => value?.ToString() ?? "no-op";

    private int Index(string id) => Array.IndexOf(_ids, id);

    private void TickLoop(SimPeer peer)
    {
        peer.Tick();
        _queue.After(VirtualTime.Tick, () => TickLoop(peer));
    }

    private RaftConfig Configure(SimPeer peer) => new()
    {
        Id = peer.Id,
        Peers = _ids,
        ElectionTicks = ElectionTicks,
        HeartbeatTicks = HeartbeatTicks,
        RandomSeed = Random.Next(),
    };

    void IPeerObserver.OnStarted(PeerActivation peer) => _checker.OnStarted(peer);

    void IPeerObserver.OnChanged(PeerActivation peer, long changedFrom) => _checker.OnChanged(peer, changedFrom);

    void IPeerObserver.OnReadyStarted(PeerActivation peer, Ready ready) => ReadyContractChecker.CheckEarlyMessages(peer, ready);

    void IPeerObserver.OnPersisted(PeerActivation peer, Ready ready, HardState before) => _checker.OnPersisted(peer, ready);

    void IPeerObserver.OnApplied(PeerActivation peer, Entry entry) => _checker.OnApplied(peer, entry);

    void IPeerObserver.OnStopped(PeerActivation peer, ActivationEnd how) => _checker.OnStopped(peer);

    void IPeerObserver.OnSnapshot(PeerActivation peer, Snapshot snapshot, SnapshotEvent what)
    {
        _checker.OnSnapshot(peer, snapshot, what);
        if (what == SnapshotEvent.Installed) SnapshotsInstalled++;
    }

    /// <summary>Snapshots followers installed from a leader so far.</summary>
    public int SnapshotsInstalled { get; private set; }
}
