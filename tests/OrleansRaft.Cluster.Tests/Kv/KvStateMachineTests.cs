using OrleansRaft.Core;
using OrleansRaft.Grains.Kv;
using OrleansRaft.Kv;

namespace OrleansRaft.Cluster.Tests.Kv;

/// <summary>The replicated KV state machine and its session table, driven entry by entry.</summary>
public sealed class KvStateMachineTests
{
    private long _index;

    private KvResult Apply(KvStateMachine machine, KvCommand command) =>
        KvCodec.DecodeResult(machine.Apply(new Entry(++_index, 1, EntryType.Normal, KvCodec.Encode(command))));

    private static KvCommand Append(string value, string client, long sequence, long lowest) =>
        new(KvOp.Append, "k", value, Session: new RequestId(client, sequence, lowest));

    private static string? Value(KvStateMachine machine) => KvCodec.DecodeResult(machine.Query(KvCodec.Encode(new KvCommand(KvOp.Get, "k")))).Value;

    [Fact]
    public void ARetriedWriteIsAnsweredWithItsFirstResultAndAppliedOnce()
    {
        var machine = new KvStateMachine();
        Assert.Equal(KvStatus.Ok, Apply(machine, Append("a", "c", 1, 1)).Status);
        Assert.Equal(KvStatus.Ok, Apply(machine, Append("a", "c", 1, 1)).Status);
        Assert.Equal("a", Value(machine));
    }

    [Fact]
    public void ARetriedCompareAndSetReturnsItsOriginalOutcome()
    {
        var machine = new KvStateMachine();
        var cas = new KvCommand(KvOp.CompareAndSet, "k", "v", null, new RequestId("c", 1, 1));
        Assert.Equal(KvStatus.Swapped, Apply(machine, cas).Status);
        // Re-applying would now say NotSwapped; the session table answers what really happened.
        Assert.Equal(KvStatus.Swapped, Apply(machine, cas).Status);
    }

    [Fact]
    public void ALateDuplicateBelowTheClientsLowestUnansweredIsNotAppliedAgain()
    {
        var machine = new KvStateMachine();
        Apply(machine, Append("a", "c", 1, 1));
        Apply(machine, Append("b", "c", 2, 2)); // the client says write 1 is answered: its result may go
        var late = Apply(machine, Append("a", "c", 1, 1));
        Assert.Equal(KvStatus.InvalidArgument, late.Status);
        Assert.Equal("ab", Value(machine));
    }

    [Fact]
    public void MoreWritesInFlightThanTheLimitAreRefusedAndNotApplied()
    {
        var machine = new KvStateMachine();
        Apply(machine, Append("a", "c", 1, 1));
        var refused = Apply(machine, Append("x", "c", 1 + KvLimits.MaxWritesInFlightPerClient, 1));
        Assert.Equal(KvStatus.LimitExceeded, refused.Status);
        Assert.Contains(nameof(KvLimits.MaxWritesInFlightPerClient), refused.Value);
        Assert.Equal("a", Value(machine));
    }

    [Fact]
    public void IdleSessionsExpireAtTheSameLogPositionOnEveryReplica()
    {
        const long expiry = 5 * KvSessions.SweepEvery;
        var replicas = new[] { new KvStateMachine(expiry), new KvStateMachine(expiry) };
        var log = new List<Entry>();
        log.Add(new Entry(1, 1, EntryType.Normal, KvCodec.Encode(Append("a", "idle", 1, 1))));
        for (var i = 2; i <= expiry + 2 * KvSessions.SweepEvery; i++)
            log.Add(new Entry(i, 1, EntryType.Normal, KvCodec.Encode(new KvCommand(KvOp.Set, "other", $"{i}", Session: new RequestId("busy", i, i)))));
        var counts = new List<int>[] { [], [] };
        for (var r = 0; r < replicas.Length; r++)
        {
            foreach (var entry in log)
            {
                replicas[r].Apply(entry);
                counts[r].Add(replicas[r].SessionCount);
            }
        }
        Assert.Equal(counts[0], counts[1]);
        Assert.Equal(2, counts[0][KvSessions.SweepEvery]);
        Assert.Equal(1, counts[0][^1]); // "idle" was forgotten, "busy" kept
    }

    [Fact]
    public void AnUndecodableCommandIsAnsweredNotThrown()
    {
        var machine = new KvStateMachine();
        var result = KvCodec.DecodeResult(machine.Apply(new Entry(1, 1, EntryType.Normal, [99, 1, 2])));
        Assert.Equal(KvStatus.InvalidArgument, result.Status);
    }

    [Fact]
    public void CommandsOfTheFirstFormatStillDecode()
    {
        // Version 1 had no lowest-unanswered field: a log written by it must stay readable.
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)1); writer.Write((byte)KvOp.Set); writer.Write("k");
            writer.Write(true); writer.Write("v"); writer.Write(false);
            writer.Write(true); writer.Write("old-client"); writer.Write(7L);
        }
        var command = KvCodec.DecodeCommand(stream.ToArray());
        Assert.Equal(new RequestId("old-client", 7, 0), command.Session);
        Assert.Equal("v", command.Value);
    }
}
