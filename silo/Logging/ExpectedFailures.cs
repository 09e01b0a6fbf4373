using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace OrleansRaft.Silo.Logging;

/// <summary>
/// Failures a cluster sees every time a silo dies or restarts: connections reset, refused or timed out, messages to a
/// silo that is gone rejected. Orleans logs each with its stack trace, once a second per connection; the console shows
/// them as one line naming the innermost cause, and repeats of the same warning are held back for a while.
/// </summary>
internal static partial class ExpectedFailures
{
    /// <summary>Exception type names (ours and Orleans', some internal to it) that mean "the other side is not there".</summary>
    private static readonly HashSet<string> NetworkTypes = new(StringComparer.Ordinal)
    {
        "ConnectionResetException", "ConnectionAbortedException", "SocketConnectionException", "ConnectionFailedException",
        "OrleansMessageRejectionException", "SiloUnavailableException", "OrleansException", "TimeoutException",
        "OperationCanceledException", "TaskCanceledException", "RaftNodeUnavailableException",
    };

    public static bool IsExpected(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException or IOException) continue;
            if (e is AggregateException) continue;
            if (!NetworkTypes.Contains(e.GetType().Name)) return false;
        }
        return error is not null;
    }

    /// <summary>"SocketException: Connection refused", the innermost exception in one line.</summary>
    public static string Cause(Exception error)
    {
        var inner = error.GetBaseException();
        return $"{inner.GetType().Name}: {WithoutTrace(inner.Message)}";
    }

    /// <summary>Some Orleans messages carry an exception's stack trace in their text ("... at
    /// Orleans.Runtime.Messaging.ConnectionManager.GetConnectionAsync(...)"): the line ends before the first frame.</summary>
    public static string WithoutTrace(string message)
    {
        var line = SiloHost.OneLine(message);
        var trace = StackFrame().Match(line);
        return trace.Success ? line[..trace.Index].TrimEnd(' ', ',', ':') : line;
    }

    [GeneratedRegex(@"\sat [A-Z][\w`]*\.[\w.`<>|]*\(")]
    private static partial Regex StackFrame();
}
