namespace OrleansRaft.Silo;

/// <summary>Where a silo keeps its grain state and membership table.</summary>
public enum StorageKind
{
    /// <summary>SQLite files under the data directory: the embedded default, one machine.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database named by a connection string: for several machines.</summary>
    Postgres,
}

/// <summary>The parsed command line of <c>silo run</c> and <c>silo cluster</c>.</summary>
public sealed record SiloArguments
{
    public const int BaseSiloPort = 11111;
    public const int BaseGatewayPort = 30000;
    public const int MaxSilos = 16;

    public required string Command { get; init; }
    public int Index { get; init; }
    public int Silos { get; init; } = 3;
    public string DataDirectory { get; init; } = "data";
    public StorageKind Storage { get; init; } = StorageKind.Sqlite;
    public string? ConnectionString { get; init; }
    public int Peers { get; init; } = 3;

    public int SiloPort => BaseSiloPort + Index;
    public int GatewayPort => BaseGatewayPort + Index;

    public const string Usage = """
        usage: silo run --index N [--silos K] [--data DIR] [--storage sqlite|postgres] [--connection STRING] [--peers P]
               silo cluster [--silos K] [--data DIR] [--storage sqlite|postgres] [--connection STRING] [--peers P]

          run      start one silo: silo port 11111+N, gateway port 30000+N, on 127.0.0.1
          cluster  start K silo processes (default 3), stream their logs, stop them all on Ctrl+C
          --data   directory of the SQLite files (default ./data); data survives restarts
          --storage sqlite (default) or postgres; postgres needs --connection "Host=...;Username=...;Password=...;Database=..."
          --peers  peers of the Raft group "kv" (default 3)
        """;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static SiloArguments Parse(string[] args)
    {
        if (args.Length == 0) throw new FormatException("missing command: run or cluster");
        var command = args[0];
        if (command is not ("run" or "cluster")) throw new FormatException($"unknown command '{command}': expected run or cluster");
        var parsed = new SiloArguments { Command = command };
        var sawIndex = false;
        for (var i = 1; i < args.Length; i++)
        {
            var option = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{option} needs a value");
            parsed = option switch
            {
                "--index" => parsed with { Index = Number(option, Value(), 0, MaxSilos - 1) },
                "--silos" => parsed with { Silos = Number(option, Value(), 1, MaxSilos) },
                "--peers" => parsed with { Peers = Number(option, Value(), 1, 15) },
                "--data" => parsed with { DataDirectory = NonEmpty(option, Value()) },
                "--storage" => parsed with { Storage = StorageOf(Value()) },
                "--connection" => parsed with { ConnectionString = NonEmpty(option, Value()) },
                _ => throw new FormatException($"unknown option '{option}'"),
            };
            sawIndex |= option == "--index";
        }
        if (command == "run" && !sawIndex) throw new FormatException("run needs --index N");
        if (parsed.Storage == StorageKind.Postgres && parsed.ConnectionString is null)
            throw new FormatException("--storage postgres needs --connection \"Host=...;Username=...;Password=...;Database=...\"");
        if (parsed.Index >= parsed.Silos && command == "run")
            throw new FormatException($"--index {parsed.Index} is not below --silos {parsed.Silos}");
        return parsed;
    }

    /// <summary>The arguments a child process of <c>silo cluster</c> runs with.</summary>
    public IEnumerable<string> ForChild(int index)
    {
        yield return "run";
        yield return "--index"; yield return index.ToString();
        yield return "--silos"; yield return Silos.ToString();
        yield return "--peers"; yield return Peers.ToString();
        yield return "--data"; yield return Path.GetFullPath(DataDirectory);
        yield return "--storage"; yield return Storage.ToString().ToLowerInvariant();
        if (ConnectionString is not null)
        {
            yield return "--connection"; yield return ConnectionString;
        }
    }

    private static int Number(string option, string text, int min, int max) =>
        int.TryParse(text, out var n) && n >= min && n <= max ? n : throw new FormatException($"{option} must be a whole number from {min} to {max} (was '{text}')");

    private static string NonEmpty(string option, string text) =>
        string.IsNullOrWhiteSpace(text) ? throw new FormatException($"{option} must not be empty") : text;

    private static StorageKind StorageOf(string text) => text.ToLowerInvariant() switch
    {
        "sqlite" => StorageKind.Sqlite,
        "postgres" or "postgresql" => StorageKind.Postgres,
        _ => throw new FormatException($"--storage must be sqlite or postgres (was '{text}')"),
    };
}
