using OrleansRaft.Grains.Kv;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Cluster.Tests.Peers;

/// <summary>Bytes the state machine cannot read, sent to the leader by a grain of the cluster: each gets a typed
/// answer, and the peer's Ready loop goes on (before, an undecodable query threw inside the loop and left the peer
/// answering status forever while never persisting or sending again).</summary>
[Collection(ClusterCollection.Name)]
public sealed class MalformedInputTests(ClusterFixture fixture)
{
    private static readonly byte[] Garbage = [0xFF, 0x00, 0x13, 0x37];

    [Fact]
    public async Task AnUndecodableQueryIsAnsweredWithAnErrorAndTheGroupGoesOn()
    {
        var raft = fixture.Raft;
        var leader = await raft.WaitForLeaderAsync();
        var probe = raft.Client.GetGrain<IPeerProbeGrain>("probe");

        var answer = await probe.Query(leader.Peer, Garbage);

        Assert.Equal(PeerOutcome.Failed, answer.Outcome);
        Assert.Contains("could not answer the query", answer.Error);
        await AssertStillServesAsync(raft, leader);
    }

    [Fact]
    public async Task AnUndecodableCommandIsCommittedAndAnsweredWithAnErrorOnEveryReplica()
    {
        var raft = fixture.Raft;
        var leader = await raft.WaitForLeaderAsync();
        var probe = raft.Client.GetGrain<IPeerProbeGrain>("probe");

        var answer = await probe.Propose(leader.Peer, Garbage);

        Assert.Equal(PeerOutcome.Ok, answer.Outcome);
        var result = KvCodec.DecodeResult(answer.Result!);
        Assert.Equal(KvStatus.InvalidArgument, result.Status);
        Assert.Contains("undecodable command", result.Value);
        await AssertStillServesAsync(raft, leader);
    }

    private static async Task AssertStillServesAsync(RaftTestCluster raft, PeerStatus leader)
    {
        var key = $"after-garbage-{Guid.NewGuid():N}";
        Assert.Equal(KvStatus.Ok, (await raft.Kv.Set(key, "v")).Status);
        Assert.Equal("v", (await raft.Kv.Get(key)).Value);
        var now = await raft.WaitForLeaderAsync();
        Assert.Equal(leader.Silo, now.Silo); // the same activation, not a fenced and reactivated one
        Assert.Equal(leader.Term, now.Term);
    }
}
