using OrleansRaft.Hosting;

namespace OrleansRaft.TestingHost;

/// <summary>Where the test cluster's peers keep their state. Either way it outlives a killed silo, as a disk would.</summary>
public enum RaftTestStorage
{
    /// <summary>One in-memory table shared by every silo of the cluster (<see cref="DurableTestStorage"/>): the fastest.</summary>
    Memory,

    /// <summary>The product's node-local SQLite storage, one file per node in a temporary directory that the cluster
    /// deletes when it is disposed: the same code path as <c>silo run</c>.</summary>
    Sqlite,
}

/// <summary>How <see cref="RaftTestClusterBuilderExtensions.AddOrleansRaft"/> sets up the Raft group of a test cluster.</summary>
public sealed class RaftTestOptions
{
    /// <summary>The default group name (the key of its <c>IKvGrain</c>).</summary>
    public const string DefaultGroup = "kv";

    /// <summary>The default time every wait and silo operation of the kit is given before it fails.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(60);

    /// <summary>The Raft group's name: its KV facade is <c>IKvGrain</c> with this key.</summary>
    public string Group { get; set; } = DefaultGroup;

    /// <summary>Voting peers at bootstrap: peer i lives on the node of test silo i, so at most the cluster's initial
    /// silo count. Silos beyond it host no peer until a membership change adds one on their node.</summary>
    public int Peers { get; set; } = RaftGroupOptions.DefaultPeers;

    /// <summary>Where the peers keep their state (ignored when <see cref="ConfigureStorage"/> is set).</summary>
    public RaftTestStorage Storage { get; set; } = RaftTestStorage.Memory;

    /// <summary>Registers the group's grain storage provider (named <see cref="RaftGroupOptions.StorageProvider"/>) on
    /// each silo instead of <see cref="Storage"/>, given the silo builder and the silo's node name: for example
    /// <c>(silo, _) => silo.AddOrleansRaftPostgresStorage(connectionString)</c>. It must survive the silo.</summary>
    public Action<ISiloBuilder, string>? ConfigureStorage { get; set; }

    /// <summary>Further settings of the group (snapshot thresholds, timeouts, roaming), applied after the kit's own
    /// (nodes and bootstrap). It may run more than once (the kit reads the storage provider's name from it), so it
    /// should only set options.</summary>
    public Action<RaftGroupOptions>? ConfigureGroup { get; set; }

    /// <summary>Declares a killed silo dead within about two seconds instead of Orleans' default 10 s and more, so that
    /// tests which restart silos or add members do not wait for it. Raft itself never waits for it: turn it off to prove so.</summary>
    public bool QuickFailureDetection { get; set; } = true;

    /// <summary>Seeds <see cref="RaftTestCluster.Network"/>'s random choices when it is lossy.</summary>
    public int NetworkSeed { get; set; }

    /// <summary>How long each wait and silo operation of the kit may take before it fails with a
    /// <see cref="RaftTestTimeoutException"/>.</summary>
    public TimeSpan Deadline { get; set; } = DefaultDeadline;

    internal void Validate(int initialSilos)
    {
        if (!RaftGroupNames.IsValid(Group))
            throw new ArgumentException($"{nameof(Group)} '{Group}' is invalid: {RaftGroupNames.Rule}.", nameof(Group));
        if (Peers < 1 || Peers > initialSilos)
            throw new ArgumentOutOfRangeException(nameof(Peers), Peers,
                $"{nameof(Peers)} must be between 1 and the cluster's initial silo count ({initialSilos}): each bootstrap peer lives on its own silo's node");
        if (!Enum.IsDefined(Storage))
            throw new ArgumentOutOfRangeException(nameof(Storage), Storage, $"unknown {nameof(RaftTestStorage)}");
        if (Deadline <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(Deadline), Deadline, $"{nameof(Deadline)} must be positive");
    }
}
