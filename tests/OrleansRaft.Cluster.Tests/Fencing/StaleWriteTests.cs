using Orleans.Storage;
using OrleansRaft.Core;
using OrleansRaft.Core.Messages;
using OrleansRaft.Grains.Storage;

namespace OrleansRaft.Cluster.Tests.Fencing;

/// <summary>
/// The rows a superseded activation writes after the newer one claimed the peer: its peer-row write fails, but the
/// log rows it wrote before that must neither become part of the log nor overwrite the newer one's. One test per rule
/// the simulator showed necessary (tests/OrleansRaft.Core.Tests/Simulation/README.md, "Peer identity"); each fails
/// with its rule taken out of PeerStore or GrainStorageLogStore. Log rows hold two entries. Run on the test storage
/// and on the ADO.NET provider over SQLite, whose cleared rows keep their versions.
/// </summary>
public abstract class StaleWriteTests
{
    private static readonly PeerIdentity Identity = new("dup", 1, "node1", "test", ["node0", "node1", "node2"]);
    private readonly GrainId _grain = GrainId.Create("raftpeer", $"dup-{Guid.NewGuid():N}/1");

    protected abstract IGrainStorage Storage { get; }
    private readonly List<(string Activation, RaftMessage Message)> _sent = [];

    /// <summary>The peer row vouches for the log's end: the older one's append into a row nobody had written lands,
    /// but past that end.</summary>
    [Fact]
    public async Task AStaleAppendThatLandsAfterTheClaimIsNotPartOfTheLog()
    {
        var older = await OpenAsync("older", bootstrap: true);
        await older.StepAsync(Append(term: 1, prevIndex: 0, prevTerm: 0, (1, 1), (2, 1)));
        await OpenAsync("newer");

        await Assert.ThrowsAsync<InconsistentStateException>(() => older.StepAsync(Append(1, 2, 1, (3, 1), (4, 1))));

        Assert.Equal([(1, 1), (2, 1)], await LogAsync());
    }

    /// <summary>Reclaim: the newer one rewrote the rows above the durable commit index, so the older one's truncation
    /// of them fails instead of replacing entries under the newer one.</summary>
    [Fact]
    public async Task AStaleTruncationAfterTheClaimFails()
    {
        var older = await OpenAsync("older", bootstrap: true);
        await older.StepAsync(Append(1, 0, 0, (1, 1), (2, 1), (3, 1), (4, 1)));
        await OpenAsync("newer");

        await Assert.ThrowsAsync<InconsistentStateException>(() => older.StepAsync(Append(2, 1, 1, (2, 2))));

        Assert.Equal([(1, 1), (2, 1), (3, 1), (4, 1)], await LogAsync());
    }

    /// <summary>Reclaim: the newer one rewrote the snapshot manifest (there was none: it wrote one naming none), so the
    /// older one's install of a snapshot fails at its switch instead of replacing the newer one's log.</summary>
    [Fact]
    public async Task AStaleSnapshotInstallAfterTheClaimFails()
    {
        var older = await OpenAsync("older", bootstrap: true);
        await older.StepAsync(Append(1, 0, 0, (1, 1), (2, 1)));
        await OpenAsync("newer");

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            older.StepAsync(new InstallSnapshot("dup/0", "dup/1", 1, 10, 1, 0, [1, 2, 3], Done: true)));

        // No snapshot at 10 (the log would then start at 11), and the log as it was.
        Assert.Equal([(1, 1), (2, 1)], await LogAsync());
    }

    /// <summary>No write over a newer activation's row: the older one had never read the row the newer one created
    /// for entries it acknowledged; reading it just before writing, it finds the newer one's generation and stops.</summary>
    [Fact]
    public async Task AStaleAppendNeverOverwritesARowTheNewerOneCreated()
    {
        var older = await OpenAsync("older", bootstrap: true);
        await older.StepAsync(Append(1, 0, 0, (1, 1), (2, 1)));
        await older.StepAsync(Append(1, 2, 1, (3, 1), (4, 1)));
        var newer = await OpenAsync("newer");
        await newer.StepAsync(Append(1, 4, 1, (5, 1), (6, 1)));
        Assert.Contains(_sent, s => s is ("newer", AppendEntriesReply { Success: true, Index: 6 }));

        await Assert.ThrowsAsync<InconsistentStateException>(() => older.StepAsync(Append(2, 4, 1, (5, 2), (6, 2))));

        Assert.Equal([(1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1)], await LogAsync());
    }

    /// <summary>The commit index rides along with writes that happen anyway: a restart applies what it knew was
    /// committed at once, and a Ready that only advances the commit index writes nothing.</summary>
    [Fact]
    public async Task TheCommitIndexIsPersistedWithWritesButNeverAlone()
    {
        var first = await OpenAsync("first", bootstrap: true);
        await first.StepAsync(Append(1, 0, 0, leaderCommit: 1, (1, 1), (2, 1)));
        var written = first.Store.FenceSequence;

        await first.StepAsync(Append(1, 2, 1, leaderCommit: 2));
        Assert.Equal(2, first.Node.CommitIndex);
        Assert.Equal(written, first.Store.FenceSequence);

        var restarted = await OpenAsync("restarted");
        Assert.Equal(1, restarted.Node.CommitIndex);
    }

    /// <summary>A peer row that vouches for committed entries the log no longer holds is corruption, not a shorter log.</summary>
    [Fact]
    public async Task ACommitIndexBeyondTheStoredLogIsReportedAsCorruption()
    {
        var first = await OpenAsync("first", bootstrap: true);
        await first.StepAsync(Append(1, 0, 0, leaderCommit: 2, (1, 1), (2, 1)));
        var row = new GrainState<LogSegmentRecord>(new LogSegmentRecord());
        await Storage.ReadStateAsync(GrainStorageLogStore.SegmentName(0), _grain, row);
        await Storage.ClearStateAsync(GrainStorageLogStore.SegmentName(0), _grain, row);

        var refused = await Assert.ThrowsAsync<RaftStorageCorruptedException>(() => OpenAsync("restarted"));
        Assert.Contains("commit index 2", refused.Message);
    }

    private Task<Activation> OpenAsync(string name, bool bootstrap = false) =>
        Activation.OpenAsync(name, bootstrap, Storage, _grain, Identity, _sent);

    /// <summary>What a restart would load.</summary>
    private async Task<(long, long)[]> LogAsync()
    {
        var reader = await OpenAsync("reader");
        var log = new List<(long, long)>();
        for (var index = reader.Node.FirstIndex; index <= reader.Node.LastIndex; index++)
            log.Add((index, reader.Node.TermAt(index)));
        return [.. log];
    }

    private static AppendEntries Append(long term, long prevIndex, long prevTerm, params (long Index, long Term)[] entries) =>
        Append(term, prevIndex, prevTerm, leaderCommit: 0, entries);

    private static AppendEntries Append(long term, long prevIndex, long prevTerm, long leaderCommit, params (long Index, long Term)[] entries) =>
        new("dup/0", "dup/1", term, prevIndex, prevTerm,
            [.. entries.Select(e => new Entry(e.Index, e.Term, EntryType.Normal, [(byte)e.Index]))], leaderCommit);
}

public sealed class DurableTestStorageStaleWriteTests : StaleWriteTests
{
    protected override IGrainStorage Storage { get; } = new DurableTestStorage();
}

[Collection(OrleansRaft.Cluster.Tests.Storage.SqliteStorageCollection.Name)]
public sealed class SqliteStaleWriteTests(OrleansRaft.Cluster.Tests.Storage.SqliteStorageFixture fixture) : StaleWriteTests
{
    protected override IGrainStorage Storage => fixture.Storage;
}
