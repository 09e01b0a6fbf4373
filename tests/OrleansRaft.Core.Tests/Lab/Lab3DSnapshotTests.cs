using Xunit.Abstractions;

namespace OrleansRaft.Core.Tests.Lab;

/// <summary>
/// MIT 6.5840 lab 3D: log compaction. Every server snapshots every <see cref="LabConfig.SnapShotInterval"/> applied
/// entries and drops the log behind it; followers that were disconnected or crashed while the others moved on must
/// catch up through InstallSnapshot, and restarts start from the snapshot. The applier checks, as the lab's does,
/// that every server applies (or restores from a snapshot) the same command at every index.
/// </summary>
public class Lab3DSnapshotTests(ITestOutputHelper output) : LabTest(output)
{
    /// <summary>The lab's MAXLOGSIZE (bytes of persisted Raft state); our entries of 8-byte commands count 32 bytes.</summary>
    private const long MaxLogSize = 2000;

    [Fact]
    public void TestSnapshotBasic3D() => SnapCommon(disconnect: false, reliable: true, crash: false);

    [Fact]
    public void TestSnapshotInstall3D() => SnapCommon(disconnect: true, reliable: true, crash: false);

    [Fact]
    public void TestSnapshotInstallUnreliable3D() => SnapCommon(disconnect: true, reliable: false, crash: false);

    [Fact]
    public void TestSnapshotInstallCrash3D() => SnapCommon(disconnect: false, reliable: true, crash: true);

    [Fact]
    public void TestSnapshotInstallUnCrash3D() => SnapCommon(disconnect: false, reliable: false, crash: true);

    /// <summary>Crash and restart all servers: each must come back from its snapshot and log.</summary>
    [Fact]
    public void TestSnapshotAllCrash3D()
    {
        const int servers = 3;
        var cfg = Lab(servers, unreliable: false, snapshot: true);
        cfg.One(Command(cfg), servers, retry: true);
        for (var i = 0; i < 5; i++)
        {
            var nn = LabConfig.SnapShotInterval / 2 + cfg.Random.Next(LabConfig.SnapShotInterval);
            for (var j = 0; j < nn; j++) cfg.One(Command(cfg), servers, retry: true);
            var index1 = cfg.One(Command(cfg), servers, retry: true);

            for (var s = 0; s < servers; s++) cfg.Crash1(s);
            for (var s = 0; s < servers; s++)
            {
                cfg.Start1(s);
                cfg.Connect(s);
            }

            var index2 = cfg.One(Command(cfg), servers, retry: true);
            Assert.True(index2 >= index1 + 1, $"index decreased from {index1} to {index2}");
        }
    }

    /// <summary>Restart right after a snapshot, write once, restart again: a server must not lose the snapshot's
    /// term or index across two restarts (the lab's "snapshot-init").</summary>
    [Fact]
    public void TestSnapshotInit3D()
    {
        const int servers = 3;
        var cfg = Lab(servers, unreliable: false, snapshot: true);
        cfg.One(Command(cfg), servers, retry: true);
        for (var i = 0; i < LabConfig.SnapShotInterval; i++) cfg.One(Command(cfg), servers, retry: true);
        for (var round = 0; round < 2; round++)
        {
            for (var s = 0; s < servers; s++) cfg.Crash1(s);
            for (var s = 0; s < servers; s++)
            {
                cfg.Start1(s);
                cfg.Connect(s);
            }
            cfg.One(Command(cfg), servers, retry: true);
        }
    }

    /// <summary>Not in the lab: a follower cut off for 10,000 writes comes back to a leader that compacted all of them
    /// away. It must catch up through one InstallSnapshot (not 10,000 appends), and every server's stored log stays
    /// small throughout.</summary>
    [Fact]
    public void AFollowerDownFor10000WritesCatchesUpThroughInstallSnapshot()
    {
        const int servers = 3;
        var cfg = Lab(servers, unreliable: false, snapshot: true);
        cfg.One(Command(cfg), servers, retry: true);
        var leader = cfg.CheckOneLeader();
        var victim = (leader + 1) % servers;
        cfg.Disconnect(victim);
        var rpcsBefore = cfg.RpcTotal;
        for (var batch = 0; batch < 10; batch++)
        {
            for (var j = 0; j < 1000; j++) cfg.Start(leader, Command(cfg));
            cfg.One(Command(cfg), servers - 1, retry: true);
            Assert.True(cfg.LogSize() < MaxLogSize * 20, $"log size too large: {cfg.LogSize()} bytes");
        }
        var installedBefore = cfg.SnapshotsInstalled;

        cfg.Connect(victim);
        var index = cfg.One(Command(cfg), servers, retry: true);

        Assert.True(index > 10_000, $"index {index}");
        Assert.Equal(installedBefore + 1, cfg.SnapshotsInstalled);
        Output.WriteLine($"caught up at index {index} with {cfg.RpcTotal - rpcsBefore} RPCs in all; largest stored log {cfg.LogSize()} bytes");
    }

    private void SnapCommon(bool disconnect, bool reliable, bool crash)
    {
        const int iters = 30;
        const int servers = 3;
        var cfg = Lab(servers, unreliable: !reliable, snapshot: true);
        cfg.One(Command(cfg), servers, retry: true);
        var leader1 = cfg.CheckOneLeader();

        for (var i = 0; i < iters; i++)
        {
            var victim = (leader1 + 1) % servers;
            var sender = leader1;
            if (i % 3 == 1)
            {
                sender = (leader1 + 1) % servers;
                victim = leader1;
            }
            if (disconnect)
            {
                cfg.Disconnect(victim);
                cfg.One(Command(cfg), servers - 1, retry: true);
            }
            if (crash)
            {
                cfg.Crash1(victim);
                cfg.One(Command(cfg), servers - 1, retry: true);
            }

            // Perhaps enough to get a snapshot.
            var nn = LabConfig.SnapShotInterval / 2 + cfg.Random.Next(LabConfig.SnapShotInterval);
            for (var j = 0; j < nn; j++)
                if (cfg.IsUp(sender)) cfg.Start(sender, Command(cfg));

            // Let appliers catch up; without faults, every follower must have caught up so that no snapshot is needed.
            cfg.One(Command(cfg), disconnect || crash ? servers - 1 : servers, retry: true);
            Assert.True(cfg.LogSize() < MaxLogSize, $"log size too large: {cfg.LogSize()} bytes");

            if (disconnect)
            {
                // Reconnect a follower, who may be behind and need to receive a snapshot.
                cfg.Connect(victim);
                cfg.One(Command(cfg), servers, retry: true);
                leader1 = cfg.CheckOneLeader();
            }
            if (crash)
            {
                cfg.Start1(victim);
                cfg.Connect(victim);
                cfg.One(Command(cfg), servers, retry: true);
                leader1 = cfg.CheckOneLeader();
            }
        }
        Output.WriteLine($"largest stored log at the end: {cfg.LogSize()} bytes; {cfg.SnapshotsInstalled} snapshots installed from a leader");
        if (disconnect || crash) Assert.True(cfg.SnapshotsInstalled > 0, "no follower needed InstallSnapshot: the scenario did not test it");
        else Assert.Equal(0, cfg.SnapshotsInstalled);
    }

    private static long Command(LabConfig cfg) => cfg.Random.NextInt64(1, long.MaxValue);
}
