using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace OrleansRaft.Silo.Logging;

/// <summary>The silo's console: OrleansRaft's events at Information, everything else from Warning, one line each
/// (text) or one JSON object each (json).</summary>
internal static class SiloLogging
{
    public static void Configure(ILoggingBuilder logging, LogFormat format)
    {
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(json =>
            {
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                json.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddConsole(console => console.FormatterName = SiloConsoleFormatter.FormatterName);
            logging.AddConsoleFormatter<SiloConsoleFormatter, ConsoleFormatterOptions>(formatter => formatter.TimestampFormat = "HH:mm:ss.fff ");
        }
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("OrleansRaft", LogLevel.Information);
        // Orleans' note that the silo runs without server GC is answered in the project file (ServerGarbageCollector).
    }
}
