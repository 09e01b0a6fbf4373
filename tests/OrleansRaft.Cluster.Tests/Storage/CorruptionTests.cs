using Microsoft.Data.Sqlite;
using OrleansRaft.Core;
using OrleansRaft.Grains.Storage;

namespace OrleansRaft.Cluster.Tests.Storage;

/// <summary>Damaged rows are detected when read back and stop the peer with an error naming the row; they are
/// never silently reset or returned altered.</summary>
[Collection(SqliteStorageCollection.Name)]
public sealed class CorruptionTests(SqliteStorageFixture fixture)
{
    private static readonly byte[] Marker = "CORRUPT-ME-PLEASE"u8.ToArray();

    [Fact]
    public async Task AFlippedBitInALogEntryIsReportedWithGroupPeerAndRow()
    {
        var peer = NewPeer();
        var log = new GrainStorageLogStore(fixture.Storage, peer, 8);
        await log.AppendAsync([new Entry(1, 1, EntryType.Normal, [1]), new Entry(2, 1, EntryType.Normal, Marker)]);

        var payload = ReadPayload(peer, GrainStorageLogStore.SegmentName(0));
        var at = payload.AsSpan().IndexOf(Marker);
        Assert.True(at >= 0, "the entry's bytes are stored as is");
        payload[at + 3] ^= 0x04;
        WritePayload(peer, GrainStorageLogStore.SegmentName(0), payload);

        var error = await Assert.ThrowsAsync<RaftStorageCorruptedException>(
            () => new GrainStorageLogStore(fixture.Storage, peer, 8).LoadAsync().AsTask());
        Assert.Contains($"peer '{peer.Key}'", error.Message);
        Assert.Contains("group 'corrupt'", error.Message);
        Assert.Contains("row 'raft.log.0'", error.Message);
        Assert.Contains("index 2", error.Message);
    }

    [Fact]
    public async Task AFlippedBitInASnapshotChunkIsReportedWithItsRow()
    {
        var peer = NewPeer();
        var data = new byte[2500];
        Marker.CopyTo(data, 1200);
        await new GrainStorageSnapshotStore(fixture.Storage, peer, 1000).SaveAsync(new Snapshot(9, 2, data));

        var row = GrainStorageSnapshotStore.ChunkName(9, 1);
        var payload = ReadPayload(peer, row);
        var at = payload.AsSpan().IndexOf(Marker);
        Assert.True(at >= 0, "the chunk's bytes are stored as is");
        payload[at + 5] ^= 0x01;
        WritePayload(peer, row, payload);

        var error = await Assert.ThrowsAsync<RaftStorageCorruptedException>(
            () => new GrainStorageSnapshotStore(fixture.Storage, peer, 1000).LoadAsync().AsTask());
        Assert.Contains($"peer '{peer.Key}'", error.Message);
        Assert.Contains($"row '{row}'", error.Message);
    }

    [Fact]
    public async Task EveryBitFlipOfThePeerRowIsCaughtOrHarmless()
    {
        var original = new HardState(42, "corrupt/1", 7);
        var peer = NewPeer();
        await new GrainStoragePeerRow(fixture.Storage, peer).SaveAsync(original);
        var payload = ReadPayload(peer, GrainStoragePeerRow.StateName);

        var detected = 0;
        for (var bit = 0; bit < payload.Length * 8; bit++)
        {
            var damaged = (byte[])payload.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            WritePayload(peer, GrainStoragePeerRow.StateName, damaged);
            try
            {
                var read = await new GrainStoragePeerRow(fixture.Storage, peer).LoadAsync();
                Assert.Equal(original, read); // a flip the format ignores must not change what is read
            }
            catch (RaftStorageCorruptedException e)
            {
                Assert.Contains(GrainStoragePeerRow.StateName, e.Message);
                detected++;
            }
        }
        Assert.True(detected > payload.Length * 4, $"only {detected} of {payload.Length * 8} flips were detected");
    }

    [Fact]
    public async Task ARowOfAnotherFormatVersionIsRefused()
    {
        var peer = NewPeer();
        var row = new GrainState<PeerRecord>(RowChecksums.Seal(new PeerRecord { Term = 3 }));
        row.State!.Format = RowChecksums.Format + 1;
        await fixture.Storage.WriteStateAsync(GrainStoragePeerRow.StateName, peer, row);

        var error = await Assert.ThrowsAsync<RaftStorageCorruptedException>(
            () => new GrainStoragePeerRow(fixture.Storage, peer).LoadAsync().AsTask());
        Assert.Contains("format", error.Message);
    }

    private static GrainId NewPeer() => GrainId.Create("raftpeer", $"corrupt/{Random.Shared.Next(1000, 100000)}");

    private byte[] ReadPayload(GrainId peer, string stateName)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Payload FROM RaftRows WHERE StateName = $state AND GrainKey = $key";
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$key", peer.Key.ToString());
        return (byte[])command.ExecuteScalar()!;
    }

    private void WritePayload(GrainId peer, string stateName, byte[] payload)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE RaftRows SET Payload = $payload WHERE StateName = $state AND GrainKey = $key";
        command.Parameters.AddWithValue("$payload", payload);
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$key", peer.Key.ToString());
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={fixture.File}");
        connection.Open();
        return connection;
    }
}
