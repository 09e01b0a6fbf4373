namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>
/// Every append the clients attempted and every one the cluster acknowledged. Appended values are unique and end
/// with ';', so the final value of an append-only key shows each append that took effect, in order: an
/// acknowledged append must be there exactly once, an unacknowledged one at most once, and nothing else at all.
/// </summary>
internal sealed class AppendLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<string>> _attempted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _acknowledged = new(StringComparer.Ordinal);

    public void Attempted(string key, string value)
    {
        lock (_lock)
        {
            if (!_attempted.TryGetValue(key, out var values)) _attempted[key] = values = [];
            if (!values.Add(value)) throw new InvalidOperationException($"append value {value} on {key} is not unique; the check needs it to be");
        }
    }

    public void Acknowledged(string key, string value)
    {
        lock (_lock)
        {
            if (!_acknowledged.TryGetValue(key, out var values)) _acknowledged[key] = values = [];
            values.Add(value);
        }
    }

    public int AcknowledgedCount
    {
        get { lock (_lock) return _acknowledged.Values.Sum(v => v.Count); }
    }

    public int AttemptedCount
    {
        get { lock (_lock) return _attempted.Values.Sum(v => v.Count); }
    }

    /// <summary>Compares the final values (null: absent) with the ledger; returns one line per problem found.</summary>
    public IReadOnlyList<string> Verify(IReadOnlyDictionary<string, string?> finalValues)
    {
        var problems = new List<string>();
        lock (_lock)
        {
            foreach (var (key, final) in finalValues)
            {
                var present = (final ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).Select(v => v + ";").ToList();
                if (final is { Length: > 0 } && !final.EndsWith(';'))
                    problems.Add($"{key}: the final value does not end with ';', a torn append: ...{Tail(final)}");
                var attempted = _attempted.GetValueOrDefault(key) ?? [];
                foreach (var doubled in present.GroupBy(v => v).Where(g => g.Count() > 1))
                    problems.Add($"{key}: append {doubled.Key} is present {doubled.Count()} times (doubled)");
                foreach (var stranger in present.Where(v => !attempted.Contains(v)).Distinct())
                    problems.Add($"{key}: {stranger} is present but was never appended to this key");
                var presentSet = present.ToHashSet();
                foreach (var lost in (_acknowledged.GetValueOrDefault(key) ?? []).Where(v => !presentSet.Contains(v)))
                    problems.Add($"{key}: acknowledged append {lost} is missing (lost)");
            }
            foreach (var key in _acknowledged.Keys.Where(k => !finalValues.ContainsKey(k)))
                problems.Add($"{key}: has acknowledged appends but was not read at the end");
        }
        return problems;
    }

    private static string Tail(string text) => text.Length <= 40 ? text : text[^40..];
}
