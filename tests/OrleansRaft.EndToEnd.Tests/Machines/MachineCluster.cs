using System.Net;
using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests.Machines;

/// <summary>
/// Three machines on one host, as the README's "Deploying on several machines" runs them: one <c>silo run</c> per
/// machine on 127.0.0.2, 127.0.0.3 and 127.0.0.4 (all of 127.0.0.0/8 is loopback on Linux), each with the same ports
/// (silo 11111, gateway 30000), its own node name and its own data directory (node-local SQLite storage), and the
/// membership table in PostgreSQL, in a database of this cluster's own. Machine i runs node{i}, which hosts peer kv/i.
/// With shared storage the peers' state is in that database too (the README's all-PostgreSQL deployment), and a
/// fourth machine on 127.0.0.5 may run a spare silo (node <c>spare</c>) for the peers of machines that are down.
/// Disposal kills every silo it started and drops the database; the directory goes too unless ORLEANSRAFT_E2E_KEEP=1.
/// </summary>
internal sealed class MachineCluster : IAsyncDisposable
{
    public const int Machines = 3;
    public const int SiloPort = 11111;
    public const int GatewayPort = 30000;

    /// <summary>The spare machine's number in <see cref="MachineOf"/>; it has no peer of its own.</summary>
    public const int Spare = Machines;

    private readonly SiloProcess?[] _silos = new SiloProcess?[Machines];
    private readonly List<SiloProcess> _all = [];
    private readonly int[] _starts = new int[Machines];

    private readonly bool _sharedStorage;

    private MachineCluster(string root, TestDatabase database, bool sharedStorage)
    {
        Root = root;
        Database = database;
        _sharedStorage = sharedStorage;
        Log = new OutputLog(Path.Combine(root, "machines.log"));
    }

    public string Root { get; }

    public TestDatabase Database { get; }

    /// <summary>Every silo's output, prefixed with its name, and the test's own steps as <c>[e2e]</c> lines.</summary>
    public OutputLog Log { get; }

    /// <summary>The CLI as a user on a fourth machine runs it: every machine's gateway in <c>--gateway</c>.</summary>
    public CliTarget Cli { get; } = CliTarget.Gateways(Enumerable.Range(0, Machines).Select(Gateway));

    public static string Address(int machine) => $"127.0.0.{machine + 2}";

    public static string Node(int machine) => machine == Spare ? "spare" : $"node{machine}";

    public static string Gateway(int machine) => $"{Address(machine)}:{GatewayPort}";

    /// <summary>The CLI through one machine's gateway only.</summary>
    public static CliTarget CliThrough(int machine) => CliTarget.Gateways([Gateway(machine)]);

    /// <summary>Machine i's data directory, the only place its node keeps anything.</summary>
    public string DataDirectory(int machine) => Path.Combine(Root, $"machine{machine}", Node(machine));

    /// <summary>The machine whose silo hosts <paramref name="peer"/>, by the address in its SILO column.</summary>
    public static int MachineOf(PeerRow peer)
    {
        var address = peer.SiloAddress();
        for (var i = 0; i <= Spare; i++)
            if (address == Address(i)) return i;
        throw new InvalidOperationException($"peer {peer.Peer} runs on {address}, which is none of the machines");
    }

    /// <summary>Creates the database and starts every machine's silo with <c>--bootstrap</c>, the first start of a new
    /// group (and, with <paramref name="spare"/>, the spare machine's, without); returns once every silo printed that
    /// it is up. With <paramref name="sharedStorage"/> the peers' state is in PostgreSQL too.</summary>
    public static async Task<MachineCluster> StartAsync(bool sharedStorage = false, bool spare = false)
    {
        if (spare && !sharedStorage) throw new ArgumentException("a spare silo can only host peers on shared storage", nameof(spare));
        await LocalPorts.WaitUntilFreeAsync(Endpoints(), TimeSpan.FromSeconds(30));
        var root = Path.Combine(Path.GetTempPath(), $"orleansraft-e2e-machines-{DateTime.Now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(root);
        var cluster = new MachineCluster(root, await TestDatabase.CreateAsync(), sharedStorage);
        try
        {
            cluster.Note($"database {cluster.Database.Name}; data under {root}");
            var silos = Enumerable.Range(0, Machines).Select(i => cluster.Start(i, bootstrap: true)).ToList();
            if (spare) silos.Add(cluster.StartOther("spare", Node(Spare), cluster.Arguments(Spare, bootstrap: false)));
            await Task.WhenAll(silos.Select(s => s.WaitUpAsync()));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The arguments of machine <paramref name="machine"/>'s silo, exactly as the README has them typed there.</summary>
    public IReadOnlyList<string> Arguments(int machine, bool bootstrap) =>
    [
        "--node", Node(machine), "--address", Address(machine), "--data", DataDirectory(machine),
        "--clustering", "postgres", "--connection", Database.ConnectionString,
        .. _sharedStorage ? new[] { "--storage", "postgres" } : [],
        .. bootstrap ? new[] { "--bootstrap" } : [],
    ];

    /// <summary>Starts machine <paramref name="machine"/>'s silo (it must not be running); wait with <see cref="SiloProcess.WaitUpAsync"/>.</summary>
    public SiloProcess Start(int machine, bool bootstrap)
    {
        if (_silos[machine] is { Exited.IsCompleted: false }) throw new InvalidOperationException($"{Node(machine)} is running");
        var name = _starts[machine]++ == 0 ? Node(machine) : $"{Node(machine)}.r{_starts[machine] - 1}";
        var silo = SiloProcess.Start(name, Node(machine), Arguments(machine, bootstrap), Log);
        _silos[machine] = silo;
        _all.Add(silo);
        return silo;
    }

    /// <summary>Starts a silo that is none of the machines (an operator's mistake), with the arguments given.</summary>
    public SiloProcess StartOther(string name, string node, IReadOnlyList<string> args)
    {
        var silo = SiloProcess.Start(name, node, args, Log);
        _all.Add(silo);
        return silo;
    }

    /// <summary>SIGKILLs machine <paramref name="machine"/>'s silo: the machine crashed.</summary>
    public async Task KillAsync(int machine)
    {
        var silo = _silos[machine] ?? throw new InvalidOperationException($"{Node(machine)} was never started");
        await silo.KillAsync();
    }

    /// <summary>Deletes machine <paramref name="machine"/>'s data directory (its silo must be down): the disk was lost.</summary>
    public void WipeData(int machine)
    {
        if (_silos[machine] is { Exited.IsCompleted: false }) throw new InvalidOperationException($"{Node(machine)} is running");
        Note($"rm -rf {DataDirectory(machine)}");
        Directory.Delete(DataDirectory(machine), recursive: true);
    }

    public void Note(string text) => Log.Add($"[e2e] {DateTime.Now:HH:mm:ss.fff} {text}");

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _all) await silo.DisposeAsync();
        Note("disposed");
        Log.Dispose();
        await Database.DisposeAsync();
        if (Environment.GetEnvironmentVariable("ORLEANSRAFT_E2E_KEEP") != "1" && Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }

    private static IReadOnlyList<IPEndPoint> Endpoints() =>
        [.. Enumerable.Range(0, Machines + 1).SelectMany(i => new[] { SiloPort, GatewayPort }.Select(port => new IPEndPoint(IPAddress.Parse(Address(i)), port)))];
}
