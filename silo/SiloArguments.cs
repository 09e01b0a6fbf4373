using System.Globalization;
using System.Net;
using OrleansRaft.Client;
using OrleansRaft.Hosting;

namespace OrleansRaft.Silo;

/// <summary>Where a silo keeps something (its membership table, its grain state).</summary>
public enum Backend
{
    /// <summary>SQLite files: the embedded default. Membership in one file that the local silos share, grain state
    /// in one file per node in the node's own data directory.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database named by <c>--connection</c>: membership for several machines, and optionally
    /// the grain state of every node.</summary>
    Postgres,
}

/// <summary>How a silo writes its log to the console.</summary>
public enum LogFormat
{
    Text,
    Json,
}

/// <summary>The parsed command line of <c>silo run</c> and <c>silo cluster</c>.</summary>
public sealed record SiloArguments
{
    public const int BaseSiloPort = 11111;
    public const int BaseGatewayPort = OrleansRaftDefaults.BaseGatewayPort;
    public const int MaxSilos = 16;
    public const int MaxPeers = 15;

    /// <summary>The metrics, health and live-view port of silo index 0; index N listens on this + N.</summary>
    public const int BaseMetricsPort = 7070;
    /// <summary>Groups a silo hosts with <c>--groups</c>: enough for the idle-cost benchmark, few enough to start quickly.</summary>
    public const int MaxGroups = 1000;

    /// <summary>The default root of <c>silo cluster</c>'s data, and of <c>silo run</c>'s node directories.</summary>
    public const string DefaultDataRoot = "data";

    public required string Command { get; init; }

    public bool IsCluster => Command == "cluster";

    /// <summary><c>run</c>: which silo of the machine this is: ports 11111+N and 30000+N, default node name node{N}.</summary>
    public int Index { get; init; }

    /// <summary><c>cluster</c>: how many silo processes to start.</summary>
    public int Silos { get; init; } = 3;

    /// <summary><c>run</c>: this silo's node name (<c>--node</c>; default node{index}).</summary>
    public string Node => ExplicitNode ?? RaftGroupOptions.DefaultNodeName(Index);

    private string? ExplicitNode { get; init; }

    /// <summary><c>run</c>: the address to listen on and to advertise to the other silos and to clients.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary><c>run</c>: the node's own data directory (default data/{node}); <c>cluster</c>: the root that holds
    /// one directory per node and the shared membership file (default data).</summary>
    public string DataDirectory => ExplicitData ?? (IsCluster ? DefaultDataRoot : Path.Combine(DefaultDataRoot, Node));

    private string? ExplicitData { get; init; }

    /// <summary><c>run</c> with SQLite clustering: the directory of the membership file that every silo of the
    /// machine shares (default: the parent of the data directory, which is where <c>silo cluster</c> keeps it).</summary>
    public string MembershipDirectory => ExplicitMembership ?? ParentOf(DataDirectory);

    private string? ExplicitMembership { get; init; }

    public Backend Clustering { get; init; } = Backend.Sqlite;

    public Backend Storage { get; init; } = Backend.Sqlite;

    public string? ConnectionString { get; init; }

    /// <summary>The peer count of the group "kv": one per entry of <see cref="Nodes"/>.</summary>
    public int Peers => Nodes.Count;

    /// <summary>The node of each peer of the group "kv", by peer index (default node0 .. node{peers-1}).</summary>
    public IReadOnlyList<string> Nodes { get; init; } = DefaultNodes(RaftGroupOptions.DefaultPeers);

    /// <summary>How many Raft groups of the same peers and nodes the silo hosts: "kv", then "kv-2" .. "kv-{N}".</summary>
    public int Groups { get; init; } = 1;

    /// <summary><see cref="RaftGroupOptions.QuiesceTicks"/> of every group hosted (0: never quiesce).</summary>
    public int QuiesceTicks { get; init; } = RaftGroupOptions.DefaultQuiesceTicks;

    /// <summary>The names of the <see cref="Groups"/> groups; the first is the one clients use by default.</summary>
    public IEnumerable<string> GroupNames => Enumerable.Range(1, Groups).Select(GroupName);

    public static string GroupName(int ordinal) => ordinal == 1 ? OrleansRaftDefaults.Group : $"{OrleansRaftDefaults.Group}-{ordinal}";

    /// <summary><c>run</c>: a peer of this node that finds no storage at all may create it (a new group).</summary>
    public bool Bootstrap { get; init; }

    public int SiloPort => BaseSiloPort + Index;

    public int GatewayPort => BaseGatewayPort + Index;

    /// <summary><c>run</c>: the HTTP port of the silo's metrics (<c>/metrics</c>), health (<c>/health/live</c>,
    /// <c>/health/ready</c>) and live view (<c>/</c>), on <see cref="Address"/>; 0 turns it off. <c>cluster</c>: the
    /// port of node0, node N listening on this + N.</summary>
    public int MetricsPort => ExplicitMetricsPort ?? BaseMetricsPort + (IsCluster ? 0 : Index);

    private int? ExplicitMetricsPort { get; init; }

    /// <summary>How the silo logs to the console: one readable line per event (text) or one JSON object per line.</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    public const string Usage = """
        usage: silo run [--index N] [--node NAME] [--address IP] [--data DIR] [--membership DIR]
                        [--clustering sqlite|postgres] [--storage sqlite|postgres] [--connection STRING]
                        [--peers P | --nodes A,B,C] [--groups G] [--quiesce-ticks T] [--bootstrap]
                        [--metrics-port PORT] [--log-format text|json]
               silo cluster [--silos K] [--data DIR] [--peers P] [--groups G] [--quiesce-ticks T]
                        [--metrics-port PORT] [--log-format text|json]
                        [--clustering sqlite|postgres] [--storage sqlite|postgres] [--connection STRING]

          run           start one silo, the node NAME: silo port 11111+N and gateway port 30000+N on IP
          cluster       start K local silos (default 3) named node0..node{K-1} on 127.0.0.1, stream their logs,
                        stop them all on Ctrl+C; bootstraps the group on the first start of DIR, never later
          --index       N of the ports above, 0 to 15 (default 0)
          --node        the node name, stable across restarts and unique in the cluster (default node{N})
          --address     the IP address to listen on and to advertise; other machines and clients connect to it
                        (default 127.0.0.1)
          --data        run: the node's own data directory (default data/NAME): raft.db holds every peer of the node
                        (SQLite storage), node.lock keeps a second silo off it
                        cluster: the root (default ./data): DIR/node0, DIR/node1, ... and DIR/membership.db
          --membership  run: directory of the SQLite membership file membership.db, shared by the silos of one
                        machine (default: the parent of --data, as silo cluster lays it out)
          --clustering  where the membership table lives: sqlite (default; one machine) or postgres (several)
          --storage     where the peers' state lives: sqlite (default; node-local, in --data) or postgres
          --connection  the PostgreSQL connection string of --clustering/--storage postgres,
                        like "Host=10.0.0.5;Username=orleansraft;Password=...;Database=orleansraft"
          --peers       peers of the Raft group "kv" (default 3), on nodes node0 .. node{P-1}
          --nodes       the node of each peer of "kv", in peer order (sets --peers); the same on every silo
          --groups      host G Raft groups on the same nodes (default 1): "kv", "kv-2" .. "kv-G", 1 to 1000;
                        the same on every silo (an idle group costs almost nothing: it goes quiet)
          --quiesce-ticks  a group with no request for T ticks of 25 ms goes quiet (default 40); 0 never
          --bootstrap   let this node's peers create their storage if they have none: only on the very first
                        start of a new group; a peer that lost its storage refuses to start without it
          --metrics-port  run: the HTTP port on IP of /metrics (Prometheus), /health/live, /health/ready and the
                        live view (default 7070+N; 0: none); cluster: node0's, node N gets PORT+N (default 7070)
          --log-format  text (default): one line per event; json: one JSON object per line, for machines
        """;

    private static readonly string[] RunOnly = ["--index", "--node", "--address", "--membership", "--nodes", "--bootstrap"];
    private static readonly string[] ClusterOnly = ["--silos"];

    /// <summary>Parses <paramref name="args"/>; throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static SiloArguments Parse(string[] args)
    {
        if (args.Length == 0) throw new FormatException("missing command: run or cluster");
        var command = args[0];
        if (command is not ("run" or "cluster")) throw new FormatException($"unknown command '{command}': expected run or cluster");
        var parsed = new SiloArguments { Command = command };
        var given = new HashSet<string>(StringComparer.Ordinal);
        int? peers = null;
        IReadOnlyList<string>? nodes = null;
        for (var i = 1; i < args.Length; i++)
        {
            var option = args[i];
            if (!given.Add(option)) throw new FormatException($"{option} is given twice");
            if (command == "cluster" && RunOnly.Contains(option)) throw new FormatException(ClusterRefuses(option));
            if (command == "run" && ClusterOnly.Contains(option)) throw new FormatException($"{option} is for 'silo cluster'; 'silo run' starts one silo");
            string Value() => i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new FormatException($"{option} needs a value");
            parsed = option switch
            {
                "--index" => parsed with { Index = Number(option, Value(), 0, MaxSilos - 1) },
                "--silos" => parsed with { Silos = Number(option, Value(), 1, MaxSilos) },
                "--peers" => Keep(parsed, peers = Number(option, Value(), 1, MaxPeers)),
                "--groups" => parsed with { Groups = Number(option, Value(), 1, MaxGroups) },
                "--quiesce-ticks" => parsed with { QuiesceTicks = Number(option, Value(), 0, 100_000) },
                "--nodes" => Keep(parsed, nodes = NodeList(Value())),
                "--node" => parsed with { ExplicitNode = NodeName(option, Value()) },
                "--address" => parsed with { Address = AddressOf(Value()) },
                "--data" => parsed with { ExplicitData = NonEmpty(option, Value()) },
                "--membership" => parsed with { ExplicitMembership = NonEmpty(option, Value()) },
                "--clustering" => parsed with { Clustering = BackendOf(option, Value()) },
                "--storage" => parsed with { Storage = BackendOf(option, Value()) },
                "--connection" => parsed with { ConnectionString = ConnectionStringOf(Value()) },
                "--bootstrap" => parsed with { Bootstrap = true },
                "--metrics-port" => parsed with { ExplicitMetricsPort = Number(option, Value(), 0, 65535 - MaxSilos) },
                "--log-format" => parsed with { LogFormat = LogFormatOf(Value()) },
                _ => throw new FormatException($"unknown option '{option}'"),
            };
        }
        if (peers is { } p && nodes is not null && p != nodes.Count)
            throw new FormatException($"--peers {p} and --nodes ({nodes.Count} nodes) disagree: --nodes gives one node per peer, so leave out --peers");
        parsed = parsed with { Nodes = nodes ?? DefaultNodes(peers ?? RaftGroupOptions.DefaultPeers) };
        Check(parsed, given);
        return parsed;
    }

    private static void Check(SiloArguments parsed, HashSet<string> given)
    {
        var usesPostgres = parsed.Clustering == Backend.Postgres || parsed.Storage == Backend.Postgres;
        if (usesPostgres && parsed.ConnectionString is null)
            throw new FormatException("--clustering postgres and --storage postgres need --connection \"Host=...;Username=...;Password=...;Database=...\"");
        if (!usesPostgres && parsed.ConnectionString is not null)
            throw new FormatException("--connection is for --clustering postgres or --storage postgres; both are sqlite here");
        if (given.Contains("--membership") && parsed.Clustering != Backend.Sqlite)
            throw new FormatException("--membership is the directory of the SQLite membership file; with --clustering postgres the membership table is in PostgreSQL");
        if (parsed.IsCluster && parsed.Peers > parsed.Silos)
            throw new FormatException($"--peers {parsed.Peers} needs at least {parsed.Peers} silos (--silos {parsed.Silos}): each peer runs on its own node");
    }

    /// <summary>The arguments of child <paramref name="index"/> of <c>silo cluster</c>: node{index} on 127.0.0.1, its own
    /// directory under the root, the membership file in the root.</summary>
    public IEnumerable<string> ForChild(int index, bool bootstrap)
    {
        var node = RaftGroupOptions.DefaultNodeName(index);
        var root = Path.GetFullPath(DataDirectory);
        yield return "run";
        yield return "--index"; yield return Text(index);
        yield return "--node"; yield return node;
        yield return "--data"; yield return Path.Combine(root, node);
        if (Clustering == Backend.Sqlite)
        {
            yield return "--membership"; yield return root;
        }
        yield return "--peers"; yield return Text(Peers);
        if (Groups > 1)
        {
            yield return "--groups"; yield return Text(Groups);
        }
        if (QuiesceTicks != RaftGroupOptions.DefaultQuiesceTicks)
        {
            yield return "--quiesce-ticks"; yield return Text(QuiesceTicks);
        }
        yield return "--clustering"; yield return Name(Clustering);
        yield return "--storage"; yield return Name(Storage);
        if (ConnectionString is not null)
        {
            yield return "--connection"; yield return ConnectionString;
        }
        yield return "--metrics-port"; yield return Text(MetricsPort == 0 ? 0 : MetricsPort + index);
        if (LogFormat != LogFormat.Text)
        {
            yield return "--log-format"; yield return "json";
        }
        if (bootstrap) yield return "--bootstrap";
    }

    public static string Name(Backend backend) => backend.ToString().ToLowerInvariant();

    public static IReadOnlyList<string> DefaultNodes(int peers) => [.. Enumerable.Range(0, peers).Select(RaftGroupOptions.DefaultNodeName)];

    /// <summary>For options whose value is kept aside until every option was read.</summary>
    private static SiloArguments Keep<T>(SiloArguments parsed, T _) => parsed;

    private static string ClusterRefuses(string option) => option switch
    {
        "--bootstrap" => "--bootstrap is for 'silo run': 'silo cluster' bootstraps the group on the first start of its data directory by itself",
        "--nodes" => "--nodes is for 'silo run': 'silo cluster' names its nodes node0, node1, ... and puts --peers P peers on the first P",
        _ => $"{option} is for 'silo run': 'silo cluster' starts its silos on 127.0.0.1 as node0, node1, ...",
    };

    private static string ParentOf(string directory)
    {
        var full = Path.GetFullPath(directory);
        return Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full)) ?? full;
    }

    private static int Number(string option, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{option} must be a whole number from {min} to {max} (was '{text}')");

    private static string NonEmpty(string option, string text) =>
        string.IsNullOrWhiteSpace(text) ? throw new FormatException($"{option} must not be empty") : text;

    private static string NodeName(string option, string text) =>
        RaftNodeNames.IsValid(text) ? text : throw new FormatException($"{option} '{text}' is not a node name: {RaftNodeNames.Rule}");

    private static IReadOnlyList<string> NodeList(string text)
    {
        var nodes = text.Split(',', StringSplitOptions.TrimEntries);
        foreach (var node in nodes)
            if (!RaftNodeNames.IsValid(node)) throw new FormatException($"--nodes: '{node}' is not a node name: {RaftNodeNames.Rule} (a comma-separated list, like node0,node1,node2)");
        var twice = nodes.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new FormatException($"--nodes names '{twice.Key}' twice: two peers of one group on one node would fall together");
        if (nodes.Length > MaxPeers) throw new FormatException($"--nodes names {nodes.Length} nodes; a group has at most {MaxPeers} peers");
        return nodes;
    }

    private static IPAddress AddressOf(string text)
    {
        if (!IPAddress.TryParse(text, out var address) || (text.All(c => char.IsAsciiDigit(c) || c == '.') && text.Split('.').Length != 4))
            throw new FormatException($"--address must be an IP address, like 127.0.0.2 or 10.0.0.5 (was '{text}')");
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            throw new FormatException($"--address {text} cannot be advertised: give the address the other silos and the clients reach this one at");
        return address;
    }

    private static LogFormat LogFormatOf(string text) => text.ToLowerInvariant() switch
    {
        "text" => LogFormat.Text,
        "json" => LogFormat.Json,
        _ => throw new FormatException($"--log-format must be text or json (was '{text}')"),
    };

    private static Backend BackendOf(string option, string text) => text.ToLowerInvariant() switch
    {
        "sqlite" => Backend.Sqlite,
        "postgres" or "postgresql" => Backend.Postgres,
        _ => throw new FormatException($"{option} must be sqlite or postgres (was '{text}')"),
    };

    private static string ConnectionStringOf(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new FormatException("--connection must not be empty");
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(text);
            if (string.IsNullOrEmpty(builder.Host)) throw new FormatException("--connection names no Host (like \"Host=10.0.0.5;Username=...;Password=...;Database=...\")");
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException)
        {
            throw new FormatException($"--connection is not a PostgreSQL connection string: {e.Message}");
        }
        return text;
    }

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
