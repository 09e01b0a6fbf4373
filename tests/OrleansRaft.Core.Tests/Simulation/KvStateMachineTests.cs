using OrleansRaft.Core.Tests.Simulation.Kv;
using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.Core.Tests.Simulation;

/// <summary>The simulated KV store: commands survive encoding, and the session table makes retries exactly-once.</summary>
public class KvStateMachineTests
{
    private static Entry Command(long index, int client, long sequence, KvInput input) =>
        new(index, 1, EntryType.Normal, new KvCommand(client, sequence, input).Encode());

    [Fact]
    public void CommandRoundTrips()
    {
        var command = new KvCommand(7, 42, KvInput.Cas("key", null, "value"));
        Assert.Equal(command, KvCommand.Decode(command.Encode()));
    }

    [Fact]
    public void RetriedAppendAppliesOnce()
    {
        var store = new KvStateMachine();
        store.Apply(Entry.NoOp(1, 1));
        var first = store.Apply(Command(2, client: 1, sequence: 1, KvInput.Append("x", "a")));
        // The same request committed again (the client retried through another leader).
        var retry = store.Apply(Command(3, client: 1, sequence: 1, KvInput.Append("x", "a")));
        Assert.Equal("a", store.Get("x"));
        Assert.Equal(first, retry);
    }

    [Fact]
    public void StaleRequestIsIgnoredOnceTheClientMovedOn()
    {
        var store = new KvStateMachine();
        store.Apply(Command(1, client: 1, sequence: 2, KvInput.Set("x", "new")));
        // Sequence 1 was abandoned by its client; committing it late must not overwrite sequence 2.
        Assert.Null(store.Apply(Command(2, client: 1, sequence: 1, KvInput.Set("x", "old"))));
        Assert.Equal("new", store.Get("x"));
    }

    [Fact]
    public void CasAnswersFromTheCurrentValue()
    {
        var store = new KvStateMachine();
        Assert.True(store.Apply(Command(1, 1, 1, KvInput.Cas("x", null, "a")))!.Value.Output.Succeeded);
        Assert.False(store.Apply(Command(2, 2, 1, KvInput.Cas("x", null, "b")))!.Value.Output.Succeeded);
        Assert.Equal("a", store.Get("x"));
    }

    [Fact]
    public void EntriesMustArriveInOrderExactlyOnce()
    {
        var store = new KvStateMachine();
        store.Apply(Entry.NoOp(1, 1));
        Assert.Throws<InvalidOperationException>(() => store.Apply(Entry.NoOp(1, 1)));
        Assert.Throws<InvalidOperationException>(() => store.Apply(Entry.NoOp(3, 1)));
    }
}
