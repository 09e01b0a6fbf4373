using System.Diagnostics;

namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>
/// The keys of one run: a few registers (set, cas, get) and as many append-only keys, under a prefix unique to the
/// run, so that every key starts absent whatever the shared cluster holds. Both rotate every
/// <see cref="NemesisSettings.KeyEpoch"/> (<c>nemesis/RUN/e3/k1</c>): each key's history stays short enough to
/// check quickly however long the run, and appended values stay small.
/// </summary>
internal sealed class KeySpace(string run, int keys)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly SortedSet<string> _appendKeys = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _registers = new(StringComparer.Ordinal);

    public string Run => run;

    public int Slots => keys;

    private int Epoch => (int)(_clock.Elapsed / NemesisSettings.KeyEpoch);

    public string Register(int slot) => Remember(_registers, $"nemesis/{run}/e{Epoch}/k{slot}");

    public string AppendKey(int slot) => Remember(_appendKeys, $"nemesis/{run}/e{Epoch}/a{slot}");

    /// <summary>Every append-only key the run used.</summary>
    public IReadOnlyList<string> AppendKeys
    {
        get { lock (_lock) return [.. _appendKeys]; }
    }

    /// <summary>Every register the run used.</summary>
    public IReadOnlyList<string> Registers
    {
        get { lock (_lock) return [.. _registers]; }
    }

    private string Remember(SortedSet<string> set, string key)
    {
        lock (_lock) set.Add(key);
        return key;
    }
}
