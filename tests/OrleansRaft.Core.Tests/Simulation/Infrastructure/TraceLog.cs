namespace OrleansRaft.Core.Tests.Simulation.Infrastructure;

/// <summary>The last notable events of a run (role changes, faults), printed when the run fails.</summary>
internal sealed class TraceLog(EventQueue queue, int capacity = 60)
{
    private readonly Queue<(long Time, string Text)> _lines = new();

    public void Add(string text)
    {
        if (_lines.Count == capacity) _lines.Dequeue();
        // Times are formatted only if the trace is printed: most runs never are.
        _lines.Enqueue((queue.Now, text));
    }

    public override string ToString() =>
        string.Join(Environment.NewLine, _lines.Select(line => $"{VirtualTime.Format(line.Time),12}  {line.Text}"));
}
