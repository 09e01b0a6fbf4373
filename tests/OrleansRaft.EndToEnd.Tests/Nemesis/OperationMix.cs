using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>
/// What one client asks next: reads of registers and append-only keys, sets, appends of values unique to the run
/// (<c>c2.17;</c>), and compare-and-sets that expect the value this client last saw, so that some succeed and
/// some do not. Seeded per client.
/// </summary>
internal sealed class OperationMix(int client, int seed, KeySpace keys)
{
    private readonly Random _random = new(unchecked(seed * 1000 + client));
    private readonly Dictionary<string, string?> _lastSeen = new(StringComparer.Ordinal);
    private int _count;

    public KvInput Next()
    {
        var slot = _random.Next(keys.Slots);
        var roll = _random.Next(100);
        var value = $"c{client}.{++_count}";
        if (roll < 20) return KvInput.Get(keys.Register(slot));
        if (roll < 35) return KvInput.Get(keys.AppendKey(slot));
        if (roll < 55) return KvInput.Set(keys.Register(slot), value);
        if (roll < 80) return KvInput.Append(keys.AppendKey(slot), value + ";");
        var key = keys.Register(slot);
        return KvInput.Cas(key, _lastSeen.GetValueOrDefault(key), value);
    }

    /// <summary>Remembers what an answer says about a register, for the next compare-and-set on it.</summary>
    public void Observe(KvInput input, ShellAnswer answer)
    {
        switch (input.Kind, answer.Kind)
        {
            case (KvOpKind.Get, AnswerKind.Value or AnswerKind.Nil):
            case (KvOpKind.Cas, AnswerKind.NotSwapped):
                _lastSeen[input.Key] = answer.Value;
                break;
            case (KvOpKind.Set, AnswerKind.Ok):
            case (KvOpKind.Cas, AnswerKind.Swapped):
                _lastSeen[input.Key] = input.Value;
                break;
        }
    }

    /// <summary>The shell line for <paramref name="input"/>; every key and value here is a bare protocol word.</summary>
    public static string Command(KvInput input) => input.Kind switch
    {
        KvOpKind.Get => $"GET {input.Key}",
        KvOpKind.Set => $"SET {input.Key} {input.Value}",
        KvOpKind.Append => $"APPEND {input.Key} {input.Value}",
        _ => $"CAS {input.Key} {input.Expected ?? "NIL"} {input.Value}",
    };
}
