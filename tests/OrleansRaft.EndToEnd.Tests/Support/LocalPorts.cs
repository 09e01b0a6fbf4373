using System.Net;
using System.Net.Sockets;

namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>
/// The fixed ports of a local cluster (silo 11111+N, gateway 30000+N on 127.0.0.1). A cluster left running by
/// someone else would answer our CLI calls, and on Linux a new silo does not even fail to bind: the listener
/// shares the port with the old one (SO_REUSEPORT) and connections go to either. So before starting, the tests
/// make sure nobody is listening, and say so plainly if somebody is.
/// </summary>
internal static class LocalPorts
{
    public const int BaseSiloPort = 11111;
    public const int BaseGatewayPort = 30000;

    public static IReadOnlyList<int> Gateways(int silos) => Enumerable.Range(BaseGatewayPort, silos).ToArray();

    public static int SiloIndexOfPort(int siloPort) => siloPort - BaseSiloPort;

    /// <summary>Waits until no process listens on the cluster's ports; throws naming the busy ones after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilFreeAsync(int silos, TimeSpan timeout)
    {
        var ports = Enumerable.Range(BaseSiloPort, silos).Concat(Enumerable.Range(BaseGatewayPort, silos)).ToArray();
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var busy = new List<int>();
            foreach (var port in ports)
                if (await IsListeningAsync(port)) busy.Add(port);
            if (busy.Count == 0) return;
            if (DateTime.UtcNow >= until)
                throw new InvalidOperationException(
                    $"ports {string.Join(", ", busy)} on 127.0.0.1 are in use: another local cluster is running ('ss -ltnp' shows whose). " +
                    "Stop it before running the end-to-end tests: they start their own cluster on the same ports.");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>
    /// Throws if a port of the cluster has more than one listener: somebody started silos next to ours (an older
    /// build without the silo host's port check shares the ports), and CLI calls could reach either cluster.
    /// Reads the kernel's socket tables, so it only knows on Linux; elsewhere it checks nothing.
    /// </summary>
    public static void EnsureNotShared(int silos)
    {
        var ports = Enumerable.Range(BaseSiloPort, silos).Concat(Enumerable.Range(BaseGatewayPort, silos)).ToHashSet();
        var listeners = new Dictionary<int, int>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // "sl local_address rem_address st ...": local_address is HEXADDR:HEXPORT, st 0A is LISTEN.
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length < 4 || columns[3] != "0A") continue;
                var port = Convert.ToInt32(columns[1][(columns[1].LastIndexOf(':') + 1)..], 16);
                if (ports.Contains(port)) listeners[port] = listeners.GetValueOrDefault(port) + 1;
            }
        }
        var shared = listeners.Where(l => l.Value > 1).Select(l => $"{l.Key} ({l.Value} listeners)").ToArray();
        if (shared.Length > 0)
            throw new InvalidOperationException(
                $"ports {string.Join(", ", shared)} on 127.0.0.1 are shared with another process: another local cluster was started " +
                "next to the test cluster ('ss -ltnp' shows whose), so CLI calls may reach either one. Stop it and run the tests again.");
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
