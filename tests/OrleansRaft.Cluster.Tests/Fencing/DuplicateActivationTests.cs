using Orleans.Storage;
using OrleansRaft.Core;
using OrleansRaft.Core.Messages;
using OrleansRaft.Grains.Peers;
using OrleansRaft.Grains.Storage;
using OrleansRaft.Hosting;

namespace OrleansRaft.Cluster.Tests.Fencing;

/// <summary>
/// Two activations of one peer over one store, as Orleans may run them for a moment: the older keeps receiving
/// messages after the newer one opened. The newer one's claim of the peer row must stop the older one at its next
/// write or promise, so that it never sends anything after the newer one has persisted.
/// </summary>
public sealed class DuplicateActivationTests
{
    private const string Group = "dup";
    private static readonly PeerIdentity Identity = new(Group, 1, "node1", "test", ["node0", "node1", "node2"]);

    private readonly DurableTestStorage _storage = new();
    private readonly GrainId _grain = GrainId.Create("raftpeer", "dup/1");
    private readonly List<(string Activation, RaftMessage Message)> _sent = [];

    [Fact]
    public async Task TheStaleActivationNeverSendsAfterTheNewOneHasPersisted()
    {
        var older = await OpenAsync("older", bootstrap: true);
        await older.StepAsync(Append(term: 1, prev: 0, 1, 2));
        Assert.Contains(_sent, s => s is ("older", AppendEntriesReply { Success: true, Index: 2 }));

        var newer = await OpenAsync("newer", bootstrap: false);
        Assert.Equal(2, newer.Node.LastIndex);
        await newer.StepAsync(Append(term: 1, prev: 2, 3));
        var newerPersisted = _sent.Count;
        Assert.Contains(_sent, s => s is ("newer", AppendEntriesReply { Success: true, Index: 3 }));

        // The older activation learns nothing of that; each of these would speak for the peer's durable state.
        await Assert.ThrowsAsync<InconsistentStateException>(() => older.StepAsync(Append(term: 1, prev: 2, 3, 4)));
        Assert.Equal(newerPersisted, _sent.Count);
        Assert.DoesNotContain(_sent.Skip(newerPersisted - 1), s => s.Activation == "older");
    }

    [Fact]
    public async Task AHeartbeatReplyOfTheStaleActivationWaitsForTheFenceAndFails()
    {
        var older = await OpenAsync("older", bootstrap: true);
        await older.StepAsync(Append(term: 1, prev: 0, 1));
        await OpenAsync("newer", bootstrap: false);
        var before = _sent.Count;

        // Persists nothing, but a heartbeat reply confirms the leader's reads: only the current activation may send it.
        await Assert.ThrowsAsync<InconsistentStateException>(() => older.StepAsync(new Heartbeat("dup/0", "dup/1", 1, 1, 7)));
        Assert.Equal(before, _sent.Count);
    }

    [Fact]
    public async Task AVoteOfTheStaleActivationIsNeverGrantedAndDoesNotOverwriteTheNewOnesHardState()
    {
        var older = await OpenAsync("older", bootstrap: true);
        var newer = await OpenAsync("newer", bootstrap: false);
        await newer.StepAsync(new RequestVote("dup/0", "dup/1", 2, 0, 0, PreVote: false));
        Assert.Contains(_sent, s => s is ("newer", RequestVoteReply { Granted: true, Term: 2, To: "dup/0" }));

        // Under per-row fencing this vote was granted too (the older activation's own copy of the hard-state row was
        // still current): one peer, two votes in term 2.
        await Assert.ThrowsAsync<InconsistentStateException>(() => older.StepAsync(new RequestVote("dup/2", "dup/1", 2, 0, 0, PreVote: false)));
        Assert.DoesNotContain(_sent, s => s is ("older", RequestVoteReply { Granted: true }));

        var reloaded = new GrainStoragePeerRow(_storage, _grain);
        Assert.Equal(new HardState(2, "dup/0", 0), await reloaded.LoadAsync());
    }

    [Fact]
    public async Task RandomInterleavingsNeverLetTheStaleActivationPromiseAnything()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            _sent.Clear();
            var storage = new DurableTestStorage();
            var random = new Random(seed);
            var older = await OpenAsync("older", bootstrap: true, storage, _grain);
            Activation? newer = null;
            var newerOpened = int.MaxValue;
            long term = 1, last = 0;
            for (var step = 0; step < 40; step++)
            {
                if (newer is null && step == random.Next(5, 20))
                {
                    newer = await OpenAsync("newer", bootstrap: false, storage, _grain);
                    newerOpened = _sent.Count;
                    last = newer.Node.LastIndex;
                }
                var message = random.Next(4) switch
                {
                    0 => (RaftMessage)new Heartbeat("dup/0", "dup/1", term, 0, step),
                    1 => new RequestVote("dup/2", "dup/1", ++term, last, term - 1, PreVote: false),
                    _ => Append(term, last, last + 1),
                };
                if (message is AppendEntries) last++;
                var target = newer is not null && random.Next(2) == 0 ? newer : older;
                try
                {
                    await target.StepAsync(message);
                }
                catch (InconsistentStateException) when (target == older && newer is not null)
                {
                    // The stale activation is fenced: in the grain it now deactivates; here it just stops.
                    older = newer;
                }
            }
            // From the newer activation's claim on, the older one promises nothing (it may still send what promises
            // nothing: a rejection, or a leader's own appends).
            Assert.DoesNotContain(_sent.Skip(Math.Min(newerOpened, _sent.Count)), s => s.Activation == "older" && PeerStore.PromisesSomething([s.Message]));
        }
    }

    private AppendEntries Append(long term, long prev, params long[] indexes) =>
        new("dup/0", "dup/1", term, prev, prev == 0 ? 0 : term, [.. indexes.Select(i => new Entry(i, term, EntryType.Normal, [(byte)i]))], 0);

    private Task<Activation> OpenAsync(string name, bool bootstrap) => OpenAsync(name, bootstrap, _storage, _grain);

    private Task<Activation> OpenAsync(string name, bool bootstrap, IGrainStorage storage, GrainId grain) =>
        Activation.OpenAsync(name, bootstrap, storage, grain, Identity, _sent);
}
