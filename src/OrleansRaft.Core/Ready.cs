using OrleansRaft.Core.Messages;

namespace OrleansRaft.Core;

/// <summary>
/// A batch of work the node hands to its caller. The caller MUST handle it in this order, then call
/// <see cref="RaftNode.Advance"/> with it, before asking for the next one:
/// <list type="number">
/// <item><b>Persist</b> <see cref="Snapshot"/> (when not null) first: save it, then drop every persisted entry (it
/// replaces the whole log). Then <see cref="Entries"/> and <see cref="HardState"/> (when not null), durably.
/// Entries overwrite: drop every persisted entry with an index at or above <c>Entries[0].Index</c>, then append.</item>
/// <item><b>Send</b> <see cref="Messages"/>, only after step 1 is durable, because they may promise what step 1
/// writes (a vote, an acknowledged entry). Exception: when <see cref="MessagesMayPrecedePersist"/> is set,
/// they may be sent while step 1 is in flight.</item>
/// <item><b>Apply</b>: restore the state machine from <see cref="Snapshot"/> (when not null), then apply
/// <see cref="CommittedEntries"/> in order, each exactly once.</item>
/// <item><b>Serve</b> <see cref="ReadStates"/> (after step 3), and fail the reads in <see cref="AbortedReads"/>.</item>
/// <item><b>Advance</b>: call <see cref="RaftNode.Advance"/>; only then does the node count its own write.</item>
/// </list>
/// </summary>
public sealed class Ready
{
    private static readonly IReadOnlyList<Entry> NoEntries = [];

    internal Ready(
        SoftState softState,
        HardState? hardState,
        Snapshot? snapshot,
        IReadOnlyList<Entry>? entries,
        IReadOnlyList<Entry>? committedEntries,
        IReadOnlyList<RaftMessage> messages,
        bool messagesMayPrecedePersist,
        IReadOnlyList<ReadState> readStates,
        IReadOnlyList<long> abortedReads)
    {
        SoftState = softState;
        HardState = hardState;
        Snapshot = snapshot;
        Entries = entries ?? NoEntries;
        CommittedEntries = committedEntries ?? NoEntries;
        Messages = messages;
        MessagesMayPrecedePersist = messagesMayPrecedePersist;
        ReadStates = readStates;
        AbortedReads = abortedReads;
    }

    /// <summary>Role, leader and term now. Informational; nothing to persist.</summary>
    public SoftState SoftState { get; }

    /// <summary>Hard state to persist, or null when it has not changed since the last Ready.</summary>
    public HardState? HardState { get; }

    /// <summary>A snapshot from the leader that replaces this node's log and state machine, or null. Entries and
    /// committed entries of the same Ready follow it.</summary>
    public Snapshot? Snapshot { get; }

    /// <summary>Entries to persist, contiguous and ascending; may replace a persisted suffix.</summary>
    public IReadOnlyList<Entry> Entries { get; }

    /// <summary>Entries known committed and not yet handed out, contiguous and ascending: apply each exactly once.</summary>
    public IReadOnlyList<Entry> CommittedEntries { get; }

    /// <summary>Messages to send once <see cref="HardState"/> and <see cref="Entries"/> are durable.</summary>
    public IReadOnlyList<RaftMessage> Messages { get; }

    /// <summary>True when nothing in <see cref="Messages"/> depends on this Ready's writes: a leader whose term
    /// and vote are already durable replicates entries it is still writing itself, and counts its own copy
    /// toward commit only at <see cref="RaftNode.Advance"/> (thesis §10.2.1).</summary>
    public bool MessagesMayPrecedePersist { get; }

    /// <summary>Reads that are linearizable once <see cref="CommittedEntries"/> are applied.</summary>
    public IReadOnlyList<ReadState> ReadStates { get; }

    /// <summary>Contexts of reads this node can no longer serve (it stopped being leader): retry them elsewhere.</summary>
    public IReadOnlyList<long> AbortedReads { get; }

    /// <summary>Index of the last entry to persist, or 0.</summary>
    public long LastEntryIndex => Entries.Count == 0 ? 0 : Entries[^1].Index;
}
