namespace OrleansRaft.Core.Tests.Simulation.Peers;

/// <summary>How a peer's host keeps two activations of the peer (an Orleans grain is a virtual actor: the runtime
/// may briefly run two) from both speaking for it. The bugs live in the host, not the core, so they are chosen here
/// rather than by <see cref="PlantedBugs"/>. <see cref="FencingPolicy"/> spells out each mode's rules.</summary>
internal enum FencingMode
{
    /// <summary>Fencing per peer over per-row ETags, complete: <see cref="FencingPolicy.PerPeer"/>.</summary>
    PerPeer,

    /// <summary>Fencing per peer with each Ready written as one conditional transaction:
    /// <see cref="FencingPolicy.PerPeerTransaction"/>.</summary>
    PerPeerTransaction,

    /// <summary>Planted bug: fencing per peer as DESIGN.md first stated it, the claim and the peer row ending every
    /// persisting Ready, and nothing more (<see cref="FencingPolicy.PeerRowOnly"/>).</summary>
    PeerRowOnly,

    /// <summary>Planted bug: fencing per row, what the grain did first (<see cref="FencingPolicy.PerRow"/>).</summary>
    PerRow,
}

/// <summary>The rules of a fencing model, one switch each, so that a run can drop one and show what breaks.</summary>
/// <param name="Claim">An activation reads the peer row and writes it back (bumping its sequence) before it loads
/// the log and snapshot, so that the row-ending write of any older activation fails from then on.</param>
/// <param name="PeerRowEndsReady">Every Ready that persists anything ends with an ETag-checked write of the peer row
/// carrying the Ready's hard state; the messages that must follow persistence wait for it. Without it (the per-row
/// model), the hard-state row is written, ETag-checked on its own, only when term or vote change.</param>
/// <param name="VouchLogEnd">The peer row also records where the durable log ends, and a load ignores stored
/// entries after that: they are rows of a Ready whose peer-row write never happened (a torn write, or a fenced
/// activation's). Without it, a fenced activation's append that lands after a newer activation loaded stays
/// beyond that one's log end, and a later reload splices it after entries of a newer term.</param>
/// <param name="ReclaimUncommitted">Right after loading, an activation rewrites, unchanged, the snapshot row, the log
/// head row and the log rows that hold entries above its durable commit index (the only entries a valid leader can
/// still replace), so that a fenced activation's write landing later fails instead of mixing its rows with the
/// newer activation's: a truncation, or an append that moves the head of an empty log back over rows of its own.</param>
/// <param name="StrictRowETags">Log rows record the generation (the claim's sequence) of the activation that wrote
/// them, and a row the activation has not seen, read just before it is written, is not written if a newer
/// activation wrote it last. Without it, an older activation's write in flight since before the claim reads a row
/// the newer one created after loading, picks up its current ETag, and overwrites entries the newer one
/// acknowledged. (The first form of the rule, a load learning every row's ETag and an unseen row written only if
/// it never existed, needs a store that lists rows; grain storage does not.)</param>
/// <param name="CheckBeforeSending">A Ready that sends or answers anything but persists nothing first checks
/// that the peer row still has the ETag this activation last wrote (an ETag-checked read). Without it, an older
/// activation keeps answering heartbeats and serving reads from memory after the newer one voted in a later
/// term: one peer then takes part in two terms' quorums (argued; the simulator's workload has not shown it yet).</param>
/// <param name="OneTransaction">Each Ready's rows (and each snapshot the host takes) are written in one
/// transaction, conditional on the peer row's ETag: all of them or none. It makes the log-end, reclaim and strict
/// ETag rules unnecessary, and a torn write impossible.</param>
internal sealed record FencingPolicy(
    bool Claim, bool PeerRowEndsReady, bool VouchLogEnd, bool ReclaimUncommitted, bool StrictRowETags, bool CheckBeforeSending,
    bool OneTransaction)
{
    public static readonly FencingPolicy PerPeer = Parse("1111110");

    public static readonly FencingPolicy PerPeerTransaction = Parse("1100011");

    public static readonly FencingPolicy PeerRowOnly = Parse("1100000");

    public static readonly FencingPolicy PerRow = Parse("0000000");

    public static FencingPolicy Of(FencingMode mode) => mode switch
    {
        FencingMode.PerPeer => PerPeer,
        FencingMode.PerPeerTransaction => PerPeerTransaction,
        FencingMode.PeerRowOnly => PeerRowOnly,
        _ => PerRow,
    };

    /// <summary>A mode's name, or the rules as seven 0/1 digits in their order (<see cref="Code"/>).</summary>
    public static FencingPolicy Parse(string text)
    {
        if (text.Length == 7 && text.All(c => c is '0' or '1'))
        {
            bool Rule(int i) => text[i] == '1';
            return new FencingPolicy(Rule(0), Rule(1), Rule(2), Rule(3), Rule(4), Rule(5), Rule(6));
        }
        // Names only: Enum.TryParse would also take any number.
        if (text.All(char.IsLetter) && Enum.TryParse<FencingMode>(text, out var mode)) return Of(mode);
        throw new ArgumentException($"'{text}' is neither a fencing mode nor seven 0/1 rule digits.", nameof(text));
    }

    /// <summary>The rules as 0/1 digits, as <see cref="Parse"/> and <c>RAFT_SIM_FENCING</c> take them.</summary>
    public string Code => string.Concat(
        new[] { Claim, PeerRowEndsReady, VouchLogEnd, ReclaimUncommitted, StrictRowETags, CheckBeforeSending, OneTransaction }
            .Select(rule => rule ? '1' : '0'));

    /// <summary>Writes what <paramref name="ready"/> asks to persist; false if a write was refused (rows written
    /// before the refused one stay written: they are the fenced activation's unacknowledged writes).</summary>
    public bool Persist(StoreSession session, Ready ready)
    {
        // As the grain does: a commit index alone is not worth a write; it goes along with the next one.
        var votes = ready.HardState is { } next && (next.Term != session.Latest.Term || next.Vote != session.Latest.Vote);
        if (ready.HardState is { } latest) session.Latest = latest;
        var writes = ready.Snapshot is not null || ready.Entries.Count > 0 || votes;
        // The transaction's condition: nothing of it lands unless the peer row is still this activation's.
        if (OneTransaction && writes && !session.CheckPeerRow()) return false;
        // The snapshot replaces the log, then the entries, then the hard state: a hard state durable ahead of the
        // entries its commit index covers would let a restart trust stale entries.
        if (ready.Snapshot is { } snapshot && (!session.SaveSnapshot(snapshot) || !session.Clear(snapshot.Index))) return false;
        if (!session.Append(ready.Entries)) return false;
        if (PeerRowEndsReady)
        {
            if (writes) return session.WritePeerRow(session.Latest, VouchLogEnd);
        }
        else if (ready.HardState is { } hard && (hard.Term != session.HardState.Term || hard.Vote != session.HardState.Vote))
        {
            return session.WriteHardStateRow(hard);
        }
        // Answers to writes need no check: they report committed entries, true whoever applies them.
        var speaks = ready.Messages.Count > 0 || ready.ReadStates.Count > 0;
        return !(CheckBeforeSending && speaks) || session.CheckPeerRow();
    }

    /// <summary>A write torn by a crash: a snapshot reached the disk but the log was not cleared yet; or, without a
    /// snapshot, the entries reached the disk and the row that ends the Ready did not. A transaction is never torn.</summary>
    public void PersistTorn(StoreSession session, Ready ready)
    {
        if (OneTransaction) return;
        if (ready.Snapshot is not null) session.SaveSnapshot(ready.Snapshot);
        else session.Append(ready.Entries);
    }

    public override string ToString() =>
        this == PerPeer ? "per peer" : this == PerPeerTransaction ? "per peer, one transaction per Ready"
        : this == PeerRowOnly ? "peer row only" : this == PerRow ? "per row" : $"rules {Code}";
}
