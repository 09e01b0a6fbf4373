namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>
/// A script that keeps writing through the CLI, one <c>set</c> process after another (<c>prefix/0</c>,
/// <c>prefix/1</c>, ...), as a user's loop would while a silo dies. It records which writes the cluster
/// acknowledged (exit 0) and which it could not confirm (exit 3: unavailable or timeout, so applied or not).
/// Any other outcome is a bug and stops the writer with an exception.
/// </summary>
internal sealed class CliWriter(string prefix, Action<string> note, CliTarget? cli = null)
{
    private readonly object _gate = new();
    private readonly List<(string Key, string Value)> _acknowledged = [];
    private readonly List<(string Key, string Value)> _unconfirmed = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _progress = new(0);
    private Task? _loop;

    public IReadOnlyList<(string Key, string Value)> Acknowledged
    {
        get { lock (_gate) return _acknowledged.ToArray(); }
    }

    public IReadOnlyList<(string Key, string Value)> Unconfirmed
    {
        get { lock (_gate) return _unconfirmed.ToArray(); }
    }

    public void Start() => _loop = Task.Run(LoopAsync);

    /// <summary>Waits until <paramref name="count"/> more writes than <paramref name="after"/> were acknowledged.</summary>
    public async Task WaitForAcknowledgedAsync(int after, int count, TimeSpan limit, Func<string> diagnostics)
    {
        var until = DateTime.UtcNow + limit;
        while (Acknowledged.Count < after + count)
        {
            if (_loop is { IsCompleted: true }) await _loop; // rethrows what stopped the writer
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _progress.WaitAsync(left))
                throw new TimeoutException($"the writer got {Acknowledged.Count - after} of {count} writes acknowledged within {limit.TotalSeconds:0} s; " +
                    $"unconfirmed: {Unconfirmed.Count}{Environment.NewLine}{diagnostics()}");
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
    }

    private async Task LoopAsync()
    {
        try
        {
            for (var i = 0; !_stop.IsCancellationRequested; i++)
            {
                var (key, value) = ($"{prefix}/{i}", $"value-{i}");
                var result = await (cli ?? CliTarget.Local).RunAsync("--timeout", "5", "set", key, value);
                note($"writer: set {key} exit {result.ExitCode} after {result.Elapsed.TotalSeconds:0.0} s: {(result.StdoutLines.Concat(result.StderrLines).FirstOrDefault() ?? "")}");
                lock (_gate)
                {
                    if (result.Succeeded)
                    {
                        CliAssert.Prints(result, 0, "OK");
                        _acknowledged.Add((key, value));
                    }
                    else
                    {
                        CliAssert.FailsWith(result, CliResult.Unavailable, "^error: (unavailable|timeout): ");
                        _unconfirmed.Add((key, value));
                    }
                }
                _progress.Release();
            }
        }
        finally
        {
            _progress.Release(); // wake a waiter so that it sees the loop has ended
        }
    }
}
