using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OrleansRaft.Silo.Logging;

namespace OrleansRaft.Silo.Tests;

/// <summary>The silo's text console, one formatted entry at a time (no silo, no process): the line's shape, expected
/// network failures in one line and held back when repeated, unexpected errors with their trace, and Orleans' start-up
/// watchdog race dropped only when it claims more than the process's age.</summary>
public sealed class SiloConsoleFormatterTests
{
    private readonly SiloConsoleFormatter _formatter = new(new FixedOptions(new ConsoleFormatterOptions { TimestampFormat = null }));

    [Fact]
    public void A_line_is_level_short_category_and_message()
    {
        Assert.Equal("info SiloHost: silo started" + Environment.NewLine,
            Format(LogLevel.Information, "OrleansRaft.Silo.SiloHost", "silo started"));
        Assert.StartsWith("fail ", Format(LogLevel.Error, "A.B", "x"));
        Assert.StartsWith("warn ", Format(LogLevel.Warning, "A.B", "x"));
    }

    [Fact]
    public void An_expected_network_failure_is_one_line_naming_its_innermost_cause_and_its_repeats_are_held_back()
    {
        var refused = Thrown(() => throw new TimeoutException("sending failed", new SocketException((int)SocketError.ConnectionRefused)));

        var first = Format(LogLevel.Warning, "Orleans.Runtime.Messaging.ConnectionManager", "Connection to S127.0.0.1:11112 failed", refused, eventId: 7);
        Assert.Single(first.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("warn ConnectionManager: Connection to S127.0.0.1:11112 failed (SocketException: ", first);
        Assert.DoesNotContain(" at ", first);

        // The same warning again within the window is counted, not printed; another event id is printed.
        Assert.Equal("", Format(LogLevel.Warning, "Orleans.Runtime.Messaging.ConnectionManager", "Connection to S127.0.0.1:11112 failed", refused, eventId: 7));
        Assert.NotEqual("", Format(LogLevel.Warning, "Orleans.Runtime.Messaging.ConnectionManager", "Connection to S127.0.0.1:11113 failed", refused, eventId: 8));
    }

    [Fact]
    public void An_unexpected_error_keeps_its_stack_trace_and_is_never_held_back()
    {
        var bug = Thrown(() => throw new InvalidOperationException("the peer's state is inconsistent"));
        var first = Format(LogLevel.Error, "OrleansRaft.Grains.Peers.RaftPeerGrain", "apply failed", bug, eventId: 9);
        Assert.Contains("InvalidOperationException: the peer's state is inconsistent", first);
        Assert.Contains(" at ", first);
        Assert.Equal(first, Format(LogLevel.Error, "OrleansRaft.Grains.Peers.RaftPeerGrain", "apply failed", bug, eventId: 9));
    }

    [Fact]
    public void A_message_carrying_a_stack_trace_in_its_text_ends_before_the_first_frame()
    {
        var line = Format(LogLevel.Warning, "A.B", "Exception while connecting: boom at Orleans.Runtime.Messaging.ConnectionManager.GetConnectionAsync(SiloAddress)");
        Assert.Equal("warn B: Exception while connecting: boom" + Environment.NewLine, line);
    }

    [Fact]
    public void The_watchdog_warning_is_dropped_only_when_it_claims_a_stall_longer_than_the_process_has_run()
    {
        Assert.Equal("", Watchdog(TimeSpan.FromDays(3)));
        Assert.Contains("Participant check thread", Watchdog(TimeSpan.FromMilliseconds(1)));
    }

    private string Watchdog(TimeSpan stalled)
    {
        const string format = "Participant check thread has not completed for {TimeSinceLastTick}";
        var state = new List<KeyValuePair<string, object?>> { new("TimeSinceLastTick", stalled), new("{OriginalFormat}", format) };
        return Write(new LogEntry<IReadOnlyList<KeyValuePair<string, object?>>>(LogLevel.Warning, "Orleans.Runtime.Watchdog", new EventId(1),
            state, null, (s, _) => $"Participant check thread has not completed for {s[0].Value}"));
    }

    private string Format(LogLevel level, string category, string message, Exception? error = null, int eventId = 1) =>
        Write(new LogEntry<string>(level, category, new EventId(eventId), message, error, (s, _) => s));

    private string Write<TState>(LogEntry<TState> entry)
    {
        using var writer = new StringWriter();
        _formatter.Write(entry, scopeProvider: null, writer);
        return writer.ToString();
    }

    private static Exception Thrown(Action fail)
    {
        try
        {
            fail();
        }
        catch (Exception e)
        {
            return e;
        }
        throw new InvalidOperationException("expected the action to throw");
    }

    private sealed class FixedOptions(ConsoleFormatterOptions value) : IOptionsMonitor<ConsoleFormatterOptions>
    {
        public ConsoleFormatterOptions CurrentValue => value;

        public ConsoleFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ConsoleFormatterOptions, string?> listener) => null;
    }
}
