using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OrleansRaft.Grains.Diagnostics;
using OrleansRaft.Kv;

namespace OrleansRaft.Cluster.Tests.Diagnostics;

/// <summary>The meter <c>OrleansRaft</c> of this fixture's silos (told apart from other clusters in the test process by
/// the meter's scope, its silo's IMeterFactory): proposals are counted once, at the leader, and the gauges read the
/// peers' published snapshots.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RaftMetricsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Each_committed_proposal_is_counted_once_and_exactly_one_peer_reports_itself_leader()
    {
        await fixture.Raft.WaitForLeaderAsync();
        // Followers may still be applying the previous test's entries; those would be counted here and break the bound.
        await fixture.Raft.WaitForAsync(
            () => fixture.Raft.Kv.Status(),
            status => status.Peers.All(p => p is not null && p.AppliedIndex == status.Peers.Max(q => q!.CommitIndex)),
            "every peer applied everything committed",
            status => string.Join("; ", status.Peers.Select(p => p is null ? "unreachable" : $"{p.Peer} applied {p.AppliedIndex} commit {p.CommitIndex}")));
        var factories = fixture.Raft.RunningSilos.Select(s => (object)s.ServiceProvider.GetRequiredService<IMeterFactory>()).ToHashSet();
        long committed = 0, applied = 0;
        var isLeader = new ConcurrentDictionary<string, long>();
        var hasLeader = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RaftMetrics.MeterName && instrument.Meter.Scope is { } scope && factories.Contains(scope)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var peer = "";
            foreach (var tag in tags) if (tag.Key == "peer") peer = (string)tag.Value!;
            switch (instrument.Name)
            {
                case "orleansraft.proposals.committed": Interlocked.Add(ref committed, value); break;
                case "orleansraft.proposals.applied": Interlocked.Add(ref applied, value); break;
                case "orleansraft.is_leader": isLeader[peer] = value; break;
                case "orleansraft.has_leader": hasLeader[peer] = value; break;
            }
        });
        listener.Start();

        for (var i = 0; i < 20; i++) Assert.Equal(KvStatus.Ok, (await fixture.Raft.Kv.Set($"metrics/{i}", "v")).Status);
        listener.RecordObservableInstruments();

        Assert.Equal(20, Interlocked.Read(ref committed));
        Assert.InRange(Interlocked.Read(ref applied), 20, 3 * 20); // the leader applied each; followers may still be applying the last few
        Assert.Equal(3, hasLeader.Count);
        Assert.All(hasLeader, p => Assert.Equal(1, p.Value));
        Assert.Single(isLeader, p => p.Value == 1);
    }
}
