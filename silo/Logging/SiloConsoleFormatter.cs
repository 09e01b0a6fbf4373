using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace OrleansRaft.Silo.Logging;

/// <summary>
/// The silo's console in text: one line per event, <c>10:48:03.106 warn ConnectionManager: message</c>. Unexpected
/// errors keep their stack trace; expected ones (<see cref="ExpectedFailures"/>) are one line, and the same warning
/// repeated within <see cref="RepeatWindow"/> is counted instead of printed. Orleans' watchdog warning that its check
/// "has not completed" for longer than this process has run is dropped: that is Orleans' own start-up race (its
/// platform thread checks before the component thread's first timestamp is taken, so it measures from the clock's
/// origin, the machine's boot), not a stall. Orleans' notes that server GC is off are dropped too: it is off on purpose.
/// </summary>
internal sealed class SiloConsoleFormatter(IOptionsMonitor<ConsoleFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "orleansraft";
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromSeconds(30);

    private static readonly DateTime ProcessStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    private readonly ConcurrentDictionary<string, Repeats> _repeats = new(StringComparer.Ordinal);

    private sealed class Repeats(DateTime since)
    {
        public DateTime Since = since;
        public int Held;
    }

    public override void Write<TState>(in LogEntry<TState> entry, IExternalScopeProvider? scopeProvider, TextWriter writer)
    {
        var message = entry.Formatter?.Invoke(entry.State, entry.Exception) ?? "";
        if (IsWatchdogStartRace(entry.State) || IsServerGcNote(entry.EventId.Id, message)) return;
        var now = DateTime.UtcNow;
        var expected = ExpectedFailures.IsExpected(entry.Exception);
        var suffix = "";
        if (expected && entry.LogLevel <= LogLevel.Warning)
        {
            var key = $"{entry.Category}|{entry.EventId.Id}";
            var repeats = _repeats.GetOrAdd(key, _ => new Repeats(DateTime.MinValue));
            lock (repeats)
            {
                if (now - repeats.Since < RepeatWindow)
                {
                    repeats.Held++;
                    return;
                }
                suffix = repeats.Held > 0 ? $" ({repeats.Held} more like it since {repeats.Since.ToLocalTime():HH:mm:ss} not shown)" : "";
                repeats.Since = now;
                repeats.Held = 0;
            }
        }
        var timestamp = options.CurrentValue.TimestampFormat is { } format ? now.ToLocalTime().ToString(format) : "";
        writer.Write($"{timestamp}{Level(entry.LogLevel)} {ShortCategory(entry.Category)}: {ExpectedFailures.WithoutTrace(message)}");
        if (entry.Exception is { } error)
            writer.Write(expected ? $" ({ExpectedFailures.Cause(error)}; similar warnings held for {RepeatWindow.TotalSeconds:0} s)" : $" {error}");
        writer.WriteLine(suffix);
    }

    /// <summary>Orleans' two start-up notes (event 100405) that the silo runs without server GC: it does so on purpose
    /// (see the silo's project file); with DOTNET_gcServer=1 Orleans does not write them.</summary>
    private static bool IsServerGcNote(int eventId, string message) =>
        eventId == ServerGcNoteEvent && !System.Runtime.GCSettings.IsServerGC && message.Contains("ServerGC", StringComparison.Ordinal);

    private const int ServerGcNoteEvent = 100405;

    private static bool IsWatchdogStartRace<TState>(TState state)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values) return false;
        foreach (var (key, value) in values)
            if (key == "TimeSinceLastTick" && value is TimeSpan stalled && values.Any(v => v.Key == "{OriginalFormat}" && v.Value is string f && f.StartsWith("Participant check thread", StringComparison.Ordinal)))
                return stalled > DateTime.UtcNow - ProcessStart;
        return false;
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    /// <summary>"Orleans.Runtime.Messaging.ConnectionManager" is "ConnectionManager": the class says enough.</summary>
    private static string ShortCategory(string category) => category[(category.LastIndexOf('.') + 1)..];
}
