using OrleansRaft.Testing.Linearizability;
using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.Core.Tests.Simulation.Checker;

/// <summary>
/// Histories produced by a real sequential execution, with each operation's interval stretched around its
/// linearization point, are linearizable by construction: the checker must accept all of them, quickly.
/// Corrupting one read of such a history into a value never written must be rejected.
/// </summary>
public class RandomHistoryCheckerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void LinearizableByConstructionIsAccepted(int seed)
    {
        var ops = Generate(new Random(seed), clients: 6, opsPerClient: 60, keys: 2);
        var result = LinearizabilityChecker.Check(KvModel.Instance, ops);
        Assert.True(result.IsLinearizable, result.ToString());
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void CorruptedReadIsRejected(int seed)
    {
        var ops = Generate(new Random(seed), clients: 5, opsPerClient: 40, keys: 1).ToList();
        var read = ops.FindLastIndex(op => op.Input.Kind == KvOpKind.Get && op.Completed);
        ops[read] = ops[read] with { Output = KvOutput.Read("never-written") };
        Assert.Equal(CheckOutcome.NotLinearizable, LinearizabilityChecker.Check(KvModel.Instance, ops).Outcome);
    }

    /// <summary>Clients take turns at random; each op takes effect at one instant, inside an interval that
    /// overlaps other clients' operations. Some writes are left with an unknown outcome.</summary>
    private static List<Operation<KvInput, KvOutput>> Generate(Random random, int clients, int opsPerClient, int keys)
    {
        var store = new Dictionary<string, string?>();
        var ops = new List<Operation<KvInput, KvOutput>>();
        var busyUntil = new long[clients];
        var remaining = Enumerable.Repeat(opsPerClient, clients).ToArray();
        long now = 0;
        var next = 0;
        while (remaining.Any(r => r > 0))
        {
            var client = random.Next(clients);
            if (remaining[client] == 0) continue;
            remaining[client]--;
            now += random.Next(1, 4);
            var call = Math.Max(busyUntil[client] + 1, now - random.Next(0, 20));
            // Linearization points must increase in execution order.
            now = Math.Max(call, now);
            var at = now;
            var key = $"k{random.Next(keys)}";
            store.TryGetValue(key, out var value);
            var input = random.Next(4) switch
            {
                0 => KvInput.Get(key),
                1 => KvInput.Set(key, $"s{next++}"),
                2 => KvInput.Append(key, $"a{next++}"),
                _ => KvInput.Cas(key, random.Next(2) == 0 ? value : "nope", $"c{next++}"),
            };
            KvModel.Instance.Step(value, input, default, completed: false, out var after);
            var output = input.Kind switch
            {
                KvOpKind.Get => KvOutput.Read(value),
                KvOpKind.Cas => KvOutput.CasResult(value == input.Expected),
                _ => KvOutput.Done,
            };
            store[key] = after;
            var ret = at + random.Next(0, 20);
            busyUntil[client] = ret;
            ops.Add(input.Kind != KvOpKind.Get && random.Next(15) == 0
                ? Operation<KvInput, KvOutput>.Pending(client, input, call)
                : new Operation<KvInput, KvOutput>(client, input, call, output, ret));
            if (!ops[^1].Completed) busyUntil[client] = long.MaxValue - 1;
            if (busyUntil[client] == long.MaxValue - 1) remaining[client] = 0;
        }
        return ops;
    }
}
