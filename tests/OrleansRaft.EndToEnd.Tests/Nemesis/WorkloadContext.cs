using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansRaft.Testing.Linearizability;
using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>
/// What the clients of one run share: the history they record into (times in microseconds since
/// <see cref="StartedAt"/>), the append ledger, the keys, the counters, the log and the anomalies found on the way.
/// An anomaly is something no outage excuses (a hang, a crash, a valid command refused, an answer that does not
/// fit its command); the run reports all of them at the end.
/// </summary>
internal sealed class WorkloadContext
{
    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly ConcurrentQueue<string> _anomalies = new();

    public WorkloadContext(NemesisSettings settings, KeySpace keys, Action<string> log)
    {
        Settings = settings;
        Keys = keys;
        Log = log;
        History = new History<KvInput, KvOutput>(() => Microseconds);
    }

    public NemesisSettings Settings { get; }

    public KeySpace Keys { get; }

    public Action<string> Log { get; }

    public DateTime StartedAt { get; } = DateTime.Now;

    public History<KvInput, KvOutput> History { get; }

    public AppendLedger Appends { get; } = new();

    public WorkloadStats Stats { get; } = new();

    public IReadOnlyCollection<string> Anomalies => _anomalies;

    /// <summary>The history's clock: microseconds since the run started.</summary>
    public long Microseconds => (Stopwatch.GetTimestamp() - _origin) * 1_000_000 / Stopwatch.Frequency;

    /// <summary>The wall-clock time of a history time, to find it in the silo logs.</summary>
    public string WallClock(long microseconds) => StartedAt.AddTicks(microseconds * 10).ToString("HH:mm:ss.fff");

    /// <summary>The options every shell of the run gets.</summary>
    public IReadOnlyList<string> ShellOptions { get; } = ["--timeout", ((int)NemesisSettings.CommandTimeout.TotalSeconds).ToString()];

    public void Anomaly(string text)
    {
        _anomalies.Enqueue(text);
        Log($"ANOMALY: {text}");
    }
}
