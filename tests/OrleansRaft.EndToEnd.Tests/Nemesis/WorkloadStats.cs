using System.Collections.Concurrent;

namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>Counts of what the clients did, for the summary line; thread-safe.</summary>
internal sealed class WorkloadStats
{
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);
    private int _invoked;
    private int _acknowledged;
    private int _unknown;
    private int _shellStarts;
    private int _connectFailures;

    public int Invoked => Volatile.Read(ref _invoked);

    public int Acknowledged => Volatile.Read(ref _acknowledged);

    /// <summary>Operations whose outcome stays unknown (an error after which a write may have been applied, a shell that died or hung).</summary>
    public int Unknown => Volatile.Read(ref _unknown);

    public int ShellStarts => Volatile.Read(ref _shellStarts);

    /// <summary>Shells that exited before answering anything because no gateway was reachable in time.</summary>
    public int ConnectFailures => Volatile.Read(ref _connectFailures);

    public void CountInvoked() => Interlocked.Increment(ref _invoked);

    public void CountAcknowledged() => Interlocked.Increment(ref _acknowledged);

    public void CountUnknown() => Interlocked.Increment(ref _unknown);

    public void CountShellStart() => Interlocked.Increment(ref _shellStarts);

    public void CountConnectFailure() => Interlocked.Increment(ref _connectFailures);

    public void CountError(string code) => _errors.AddOrUpdate(code, 1, (_, n) => n + 1);

    /// <summary>Error answers by code, as in <c>timeout 12, unavailable 3</c>.</summary>
    public string Errors => _errors.IsEmpty ? "none" : string.Join(", ", _errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value}"));
}
