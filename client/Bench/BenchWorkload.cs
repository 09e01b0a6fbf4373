using System.Globalization;

namespace OrleansRaft.Cli.Bench;

/// <summary>
/// The data a run works on, built once before it starts: the key names, a small pool of values of the requested
/// size, and the last value seen per key (what a cas expects). Operations pick from these, so the workload itself
/// allocates nothing per operation.
/// </summary>
internal sealed class BenchWorkload
{
    public const int ValuePoolSize = 8;
    public const string KeyPrefix = "bench/";

    private readonly string?[] _lastSeen;

    public BenchWorkload(int keys, int valueSize)
    {
        Keys = new string[keys];
        for (var i = 0; i < keys; i++) Keys[i] = KeyPrefix + i.ToString("D8", CultureInfo.InvariantCulture);
        Values = new string[ValuePoolSize];
        for (var i = 0; i < ValuePoolSize; i++) Values[i] = new string((char)('a' + i), valueSize);
        _lastSeen = new string?[keys];
    }

    public string[] Keys { get; }

    public string[] Values { get; }

    /// <summary>The value some client last wrote or read for key <paramref name="key"/>, null if none yet. Shared by
    /// all clients without locks: a reference write is atomic, and a stale guess only makes a cas not swap.</summary>
    public string? LastSeen(int key) => Volatile.Read(ref _lastSeen[key]);

    public void Saw(int key, string? value) => Volatile.Write(ref _lastSeen[key], value);
}
