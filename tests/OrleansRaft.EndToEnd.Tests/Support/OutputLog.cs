using System.Text.RegularExpressions;

namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>
/// Every line a process printed (stdout and stderr, in arrival order), copied to a file for post-mortems, with
/// a way to wait for a line that matches a pattern. Waiting on a line is how the tests know the launcher started
/// its silos, elected a leader, saw a silo die or finished stopping: no sleeps.
/// </summary>
internal sealed class OutputLog : IDisposable
{
    private readonly object _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Found)> _waiters = [];
    private readonly StreamWriter _file;
    private bool _closed;

    public OutputLog(string path)
    {
        Path = path;
        _file = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    public string Path { get; }

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_closed) return;
            _lines.Add(line);
            _file.WriteLine(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var match = _waiters[i].Pattern.Match(line);
                if (!match.Success) continue;
                _waiters[i].Found.TrySetResult(match);
                _waiters.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// The first line from <paramref name="fromLine"/> on that matches, as soon as it is printed. Gives up after
    /// <paramref name="timeout"/>, or when <paramref name="givesUpWhen"/> completes (the process exited).
    /// </summary>
    public async Task<Match> WaitForAsync(Regex pattern, int fromLine, TimeSpan timeout, Task? givesUpWhen = null)
    {
        var found = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (Find(pattern, fromLine) is { } printed) return printed;
            _waiters.Add((pattern, found));
        }
        using var stop = new CancellationTokenSource();
        var timedOut = Task.Delay(timeout, stop.Token);
        var first = await Task.WhenAny(found.Task, timedOut, givesUpWhen ?? Task.Delay(Timeout.Infinite, stop.Token));
        await stop.CancelAsync();
        if (first == found.Task) return await found.Task;
        lock (_gate)
        {
            _waiters.RemoveAll(w => w.Found == found);
            // The process may have printed the line just before exiting.
            if (Find(pattern, fromLine) is { } printed) return printed;
        }
        var why = first == timedOut ? $"not printed within {timeout.TotalSeconds:0} s" : "the process exited first";
        throw new TimeoutException($"expected a line matching /{pattern}/: {why}.{Environment.NewLine}{Tail()}");
    }

    private Match? Find(Regex pattern, int fromLine)
    {
        for (var i = fromLine; i < _lines.Count; i++)
        {
            var match = pattern.Match(_lines[i]);
            if (match.Success) return match;
        }
        return null;
    }

    public int Count
    {
        get { lock (_gate) return _lines.Count; }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate) return _lines.ToArray();
    }

    /// <summary>The last lines, for failure messages; long lines (stack traces folded by the logger) are cut.</summary>
    public string Tail(int lines = 40)
    {
        var snapshot = Snapshot();
        var tail = snapshot.Skip(Math.Max(0, snapshot.Count - lines)).Select(l => l.Length > 300 ? l[..300] + " ..." : l);
        return $"--- last {Math.Min(lines, snapshot.Count)} of {snapshot.Count} lines of {Path} ---{Environment.NewLine}{string.Join(Environment.NewLine, tail)}";
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            _file.Dispose();
        }
    }
}
