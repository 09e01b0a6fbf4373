namespace OrleansRaft.Core;

/// <summary>Settings of one <see cref="RaftNode"/>. Times are in ticks: the node has no clock.</summary>
public sealed record RaftConfig
{
    public const int DefaultElectionTicks = 10;
    public const int DefaultHeartbeatTicks = 1;
    public const int DefaultMaxInflightMessages = 256;
    public const int DefaultMaxMessageBytes = 1024 * 1024;
    public const int DefaultMaxEntryBytes = 1024 * 1024;
    public const long DefaultMaxUncommittedBytes = 64L * 1024 * 1024;
    public const int DefaultMaxSnapshotChunkBytes = 256 * 1024;
    public const long DefaultMaxPromotionLagEntries = 1000;

    /// <summary>This node's id.</summary>
    public required string Id { get; init; }

    /// <summary>The group's bootstrap voters: the configuration in force before the log's first entry. From then on
    /// the log is the truth (<see cref="Membership.ConfigChange"/>); a peer added later by a membership change gets
    /// the same list, and need not be in it.</summary>
    public required IReadOnlyList<string> Peers { get; init; }

    /// <summary>Base election timeout E: a follower campaigns after a random timeout in [E, 2E) ticks without a leader.</summary>
    public int ElectionTicks { get; init; } = DefaultElectionTicks;

    /// <summary>A leader sends heartbeats every this many ticks. Must be below <see cref="ElectionTicks"/>.</summary>
    public int HeartbeatTicks { get; init; } = DefaultHeartbeatTicks;

    /// <summary>Rehearse elections first, so that a node rejoining after a partition cannot depose a healthy leader (thesis §9.6).</summary>
    public bool PreVote { get; init; } = true;

    /// <summary>A leader that has not heard from a majority within an election timeout steps down (thesis §6.2).</summary>
    public bool CheckQuorum { get; init; } = true;

    /// <summary>Append messages in flight to one follower before the leader waits for acknowledgements.</summary>
    public int MaxInflightMessages { get; init; } = DefaultMaxInflightMessages;

    /// <summary>Upper bound on the entry bytes of one AppendEntries (one entry is always allowed).</summary>
    public int MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>Largest single command accepted by <see cref="RaftNode.Propose"/>.</summary>
    public int MaxEntryBytes { get; init; } = DefaultMaxEntryBytes;

    /// <summary>Flow control: bytes of proposed but uncommitted entries the leader accepts before refusing more.</summary>
    public long MaxUncommittedBytes { get; init; } = DefaultMaxUncommittedBytes;

    /// <summary>Largest chunk of snapshot bytes in one InstallSnapshot message.</summary>
    public int MaxSnapshotChunkBytes { get; init; } = DefaultMaxSnapshotChunkBytes;

    /// <summary>A learner is promoted to voter only when its match index is within this many entries of the leader's
    /// last index: a voter far behind would slow every commit that needs it (etcd checks 90 % of the leader's progress;
    /// a fixed count bounds the catch-up time whatever the log's length).</summary>
    public long MaxPromotionLagEntries { get; init; } = DefaultMaxPromotionLagEntries;

    /// <summary>Quiescence: a leader whose members all hold its whole log, committed, that has seen no proposal or read
    /// for this many ticks tells them so and stops heartbeating; they stop their election timers (CockroachDB's
    /// quiesced ranges). 0, the default, never quiesces. See <c>RaftNode.Quiesce.cs</c> for the rules.</summary>
    public int QuiesceTicks { get; init; }

    /// <summary>Seed of the election jitter. Same seed, same inputs: same outputs.</summary>
    public int RandomSeed { get; init; }

    /// <summary>Test-only: bugs planted on purpose to prove the simulator catches them.</summary>
    internal PlantedBugs Bugs { get; init; }

    /// <summary>Throws <see cref="RaftConfigException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Id))
            throw new RaftConfigException(nameof(Id), "must be a non-empty peer id.");
        if (Peers is null || Peers.Count == 0)
            throw new RaftConfigException(nameof(Peers), "must list at least one peer.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var peer in Peers)
        {
            if (string.IsNullOrWhiteSpace(peer))
                throw new RaftConfigException(nameof(Peers), "contains an empty peer id.");
            if (!seen.Add(peer))
                throw new RaftConfigException(nameof(Peers), $"contains '{peer}' twice.");
        }
        if (HeartbeatTicks <= 0)
            throw new RaftConfigException(nameof(HeartbeatTicks), "must be positive.");
        if (ElectionTicks <= HeartbeatTicks)
            throw new RaftConfigException(nameof(ElectionTicks), $"must be greater than {nameof(HeartbeatTicks)} ({HeartbeatTicks}).");
        if (MaxInflightMessages <= 0)
            throw new RaftConfigException(nameof(MaxInflightMessages), "must be positive.");
        if (MaxMessageBytes <= 0)
            throw new RaftConfigException(nameof(MaxMessageBytes), "must be positive.");
        if (MaxEntryBytes <= 0)
            throw new RaftConfigException(nameof(MaxEntryBytes), "must be positive.");
        if (MaxSnapshotChunkBytes <= 0)
            throw new RaftConfigException(nameof(MaxSnapshotChunkBytes), "must be positive.");
        if (MaxUncommittedBytes <= 0)
            throw new RaftConfigException(nameof(MaxUncommittedBytes), "must be positive.");
        if (QuiesceTicks < 0)
            throw new RaftConfigException(nameof(QuiesceTicks), "must not be negative (0 never quiesces).");
        if (MaxPromotionLagEntries < 0)
            throw new RaftConfigException(nameof(MaxPromotionLagEntries), "must not be negative.");
        if (MaxUncommittedBytes < MaxEntryBytes)
            throw new RaftConfigException(nameof(MaxUncommittedBytes), $"must be at least {nameof(MaxEntryBytes)} ({MaxEntryBytes}).");
    }
}
