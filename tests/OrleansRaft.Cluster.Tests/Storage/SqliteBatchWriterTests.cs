using Orleans.Storage;

namespace OrleansRaft.Cluster.Tests.Storage;

/// <summary>
/// Group commit on the node's SQLite storage: writes that queue while a transaction commits go into the next one
/// together; inside a batch every row keeps its own ETag check; a batch that fails before its commit fails every write
/// in it and leaves nothing of them behind. The batches are formed without timing: the first write's commit is held
/// (the writer's commit hook waits) until the test has queued the others and the writer reports them pending.
/// </summary>
public sealed class SqliteBatchWriterTests : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly SqliteNodeStorage _node = new();

    private IGrainStorage Storage => _node.Storage;

    [Fact]
    public async Task Writes_of_many_grains_queued_during_a_commit_share_the_next_transaction()
    {
        const int grains = 40;
        var (first, release) = HoldFirstCommit();
        var opener = Write(Grain(0), "row", [0]);
        await first.WaitAsync(Deadline);
        var before = _node.Storage.Counters;

        var writes = Enumerable.Range(1, grains).Select(i => Write(Grain(i), "row", [(byte)i])).ToArray();
        await WaitUntilPendingAsync(grains);
        release();
        await Task.WhenAll(writes.Append(opener)).WaitAsync(Deadline);

        var after = _node.Storage.Counters;
        Assert.Equal(before.Transactions + 2, after.Transactions); // the held one, then all the others in one
        Assert.Equal(grains, after.LargestBatch);
        Assert.Equal(grains + 1, after.Rows);
        for (var i = 0; i <= grains; i++) Assert.Equal([(byte)i], await ReadAsync(Grain(i), "row"));
    }

    [Fact]
    public async Task Every_committed_transaction_reports_its_row_writes_and_its_commit_time_before_acknowledging()
    {
        var reported = new System.Collections.Concurrent.ConcurrentQueue<(int Rows, TimeSpan Commit)>();
        await using var node = new SqliteNodeStorage((rows, commit) => reported.Enqueue((rows, commit)));
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => node.Storage.WriteStateAsync("row", Grain(i), new GrainState<byte[]>([(byte)i])))).WaitAsync(Deadline);

        // The metrics (orleansraft.storage.batch.rows, .commit.duration) see what the writer's own counters see.
        var counters = node.Storage.Counters;
        Assert.Equal(counters.Transactions, reported.Count);
        Assert.Equal(counters.Rows, reported.Sum(r => (long)r.Rows));
        Assert.Equal(50, counters.Rows);
        Assert.All(reported, r => Assert.True(r.Commit > TimeSpan.Zero, $"a commit of {r.Rows} rows took {r.Commit}"));
    }

    [Fact]
    public async Task An_ETag_conflict_inside_a_batch_fails_only_its_own_write()
    {
        var contested = Grain(1);
        var held = new GrainState<byte[]>([1]);
        await Storage.WriteStateAsync("row", contested, held);
        var stale = new GrainState<byte[]>([9]) { ETag = held.ETag };
        held.State = [2];
        await Storage.WriteStateAsync("row", contested, held); // the stale copy's ETag is now out of date

        var (first, release) = HoldFirstCommit();
        var opener = Write(Grain(0), "row", [0]);
        await first.WaitAsync(Deadline);
        var before = Write(Grain(2), "row", [20]);
        var conflicting = Storage.WriteStateAsync("row", contested, stale);
        var insertOverExisting = Storage.WriteStateAsync("row", contested, new GrainState<byte[]>([7]));
        var after = Write(Grain(3), "row", [30]);
        await WaitUntilPendingAsync(4);
        release();

        await Task.WhenAll(opener, before, after).WaitAsync(Deadline);
        await Assert.ThrowsAsync<InconsistentStateException>(() => conflicting);
        await Assert.ThrowsAsync<InconsistentStateException>(() => insertOverExisting);
        Assert.Equal(4, _node.Storage.Counters.LargestBatch);
        Assert.Equal([2], await ReadAsync(contested, "row"));
        Assert.Equal([20], await ReadAsync(Grain(2), "row"));
        Assert.Equal([30], await ReadAsync(Grain(3), "row"));
    }

    [Fact]
    public async Task A_batch_that_fails_before_its_commit_loses_only_its_own_unacknowledged_writes()
    {
        var kept = new GrainState<byte[]>([1]);
        await Storage.WriteStateAsync("row", Grain(1), kept);
        var acknowledgedETag = kept.ETag;

        var (first, release) = HoldFirstCommit();
        var opener = Write(Grain(0), "row", [0]);
        await first.WaitAsync(Deadline);
        var overwrite = Storage.WriteStateAsync("row", Grain(1), new GrainState<byte[]>([2]) { ETag = kept.ETag });
        var created = Write(Grain(2), "row", [3]);
        var cleared = Storage.ClearStateAsync("row", Grain(1), new GrainState<byte[]>([]) { ETag = kept.ETag });
        await WaitUntilPendingAsync(3);
        _node.Storage.Writer.BeforeCommit = _ => throw new IOException("simulated crash before the commit");
        release();

        await opener.WaitAsync(Deadline);
        foreach (var failed in new[] { overwrite, created, cleared })
            Assert.IsType<IOException>(await Record.ExceptionAsync(() => failed.WaitAsync(Deadline)));
        Assert.Equal(1, _node.Storage.Counters.FailedBatches);

        _node.Storage.Writer.BeforeCommit = null;
        await _node.ReopenAsync();
        var read = new GrainState<byte[]>([]);
        await Storage.ReadStateAsync("row", Grain(1), read);
        Assert.Equal([1], read.State);
        Assert.Equal(acknowledgedETag, read.ETag); // neither the overwrite nor the clear happened
        Assert.Equal([0], await ReadAsync(Grain(0), "row"));
        var missing = new GrainState<byte[]>([]);
        await Storage.ReadStateAsync("row", Grain(2), missing);
        Assert.False(missing.RecordExists);
    }

    [Fact]
    public async Task A_cleared_row_keeps_its_version_and_only_its_current_ETag_writes_it_again()
    {
        var row = new GrainState<byte[]>([1]);
        await Storage.WriteStateAsync("row", Grain(1), row);
        var beforeClear = row.ETag;
        await Storage.ClearStateAsync("row", Grain(1), row);
        Assert.NotEqual(beforeClear, row.ETag);

        var read = new GrainState<byte[]>([5]);
        await Storage.ReadStateAsync("row", Grain(1), read);
        Assert.True(read.RecordExists);
        Assert.Equal(row.ETag, read.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("row", Grain(1), new GrainState<byte[]>([2]) { ETag = beforeClear }));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("row", Grain(1), new GrainState<byte[]>([2])));
        row.State = [3];
        await Storage.WriteStateAsync("row", Grain(1), row);
        Assert.Equal([3], await ReadAsync(Grain(1), "row"));
    }

    /// <summary>Makes the writer's next commit wait: returns a task that completes once that commit is being held, and
    /// the action that lets it (and every later one) go.</summary>
    private (Task Held, Action Release) HoldFirstCommit()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new ManualResetEventSlim();
        _node.Storage.Writer.BeforeCommit = _ =>
        {
            if (held.TrySetResult()) gate.Wait(Deadline);
        };
        return (held.Task, gate.Set);
    }

    private async Task WaitUntilPendingAsync(int writes)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (_node.Storage.Writer.Pending < writes) await Task.Delay(5, timeout.Token);
    }

    private Task Write(GrainId grain, string state, byte[] payload) => Storage.WriteStateAsync(state, grain, new GrainState<byte[]>(payload));

    private async Task<byte[]> ReadAsync(GrainId grain, string state)
    {
        var row = new GrainState<byte[]>([]);
        await Storage.ReadStateAsync(state, grain, row);
        return row.State ?? throw new InvalidOperationException($"row {state} of {grain} holds no payload");
    }

    private static GrainId Grain(int index) => GrainId.Create("raftpeer", $"batch/{index}");

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
