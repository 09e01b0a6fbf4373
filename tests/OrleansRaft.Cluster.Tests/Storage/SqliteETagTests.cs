using Orleans.Storage;

namespace OrleansRaft.Cluster.Tests.Storage;

/// <summary>The shipped SQLite write query keeps Orleans' ETag contract: a row is created only by a write without an
/// ETag, and only once; after that only the current ETag writes it.</summary>
[Collection(SqliteStorageCollection.Name)]
public sealed class SqliteETagTests(SqliteStorageFixture fixture)
{
    private readonly GrainId _grain = GrainId.Create("raftpeer", $"etag/{Guid.NewGuid():N}");

    [Fact]
    public async Task The_first_write_creates_the_row_and_later_writes_need_its_current_ETag()
    {
        var writer = new GrainState<byte[]>([1]);
        await fixture.Storage.WriteStateAsync("row", _grain, writer);
        var created = writer.ETag;
        Assert.NotNull(created);

        writer.State = [2];
        await fixture.Storage.WriteStateAsync("row", _grain, writer);
        Assert.NotEqual(created, writer.ETag);

        var stale = new GrainState<byte[]>([3]) { ETag = created };
        await Assert.ThrowsAsync<InconsistentStateException>(() => fixture.Storage.WriteStateAsync("row", _grain, stale));

        var reader = new GrainState<byte[]>([]);
        await fixture.Storage.ReadStateAsync("row", _grain, reader);
        Assert.Equal([2], reader.State);
        Assert.Equal(writer.ETag, reader.ETag);
    }

    [Fact]
    public async Task A_write_without_an_ETag_does_not_replace_an_existing_row()
    {
        await fixture.Storage.WriteStateAsync("row", _grain, new GrainState<byte[]>([1]));

        await Assert.ThrowsAsync<InconsistentStateException>(() => fixture.Storage.WriteStateAsync("row", _grain, new GrainState<byte[]>([9])));

        var reader = new GrainState<byte[]>([]);
        await fixture.Storage.ReadStateAsync("row", _grain, reader);
        Assert.Equal([1], reader.State);
    }

    [Fact]
    public async Task Rows_of_other_state_names_and_grains_are_independent()
    {
        var other = GrainId.Create("raftpeer", $"etag/{Guid.NewGuid():N}");
        await fixture.Storage.WriteStateAsync("row", _grain, new GrainState<byte[]>([1]));
        await fixture.Storage.WriteStateAsync("row2", _grain, new GrainState<byte[]>([2]));
        await fixture.Storage.WriteStateAsync("row", other, new GrainState<byte[]>([3]));

        var reader = new GrainState<byte[]>([]);
        await fixture.Storage.ReadStateAsync("row2", _grain, reader);
        Assert.Equal([2], reader.State);
        await fixture.Storage.ReadStateAsync("row", other, reader);
        Assert.Equal([3], reader.State);
    }
}
