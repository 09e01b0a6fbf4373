using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>
/// The fixed ports of a local cluster (silo 11111+N, gateway 30000+N on 127.0.0.1; the "machines" use 11111 and 30000
/// on 127.0.0.2, 127.0.0.3, ...). A cluster left running by someone else would answer our CLI calls, and on Linux a new
/// silo does not even fail to bind: the listener shares the port with the old one (SO_REUSEPORT) and connections go to
/// either. So before starting, the tests make sure nobody is listening, and say so plainly if somebody is.
/// </summary>
internal static class LocalPorts
{
    public const int BaseSiloPort = 11111;
    public const int BaseGatewayPort = 30000;

    /// <summary>Each silo's metrics, health and live view: 7070+N.</summary>
    public const int BaseMetricsPort = 7070;

    public static IReadOnlyList<int> Gateways(int silos) => Enumerable.Range(BaseGatewayPort, silos).ToArray();

    public static int SiloIndexOfPort(int siloPort) => siloPort - BaseSiloPort;

    /// <summary>The silo, gateway and metrics ports of the local launcher's <paramref name="silos"/> silos, on 127.0.0.1.</summary>
    public static IReadOnlyList<IPEndPoint> Launcher(int silos) =>
        [.. Enumerable.Range(BaseSiloPort, silos).Concat(Enumerable.Range(BaseGatewayPort, silos)).Concat(Enumerable.Range(BaseMetricsPort, silos))
            .Select(p => new IPEndPoint(IPAddress.Loopback, p))];

    /// <summary>Waits until no process listens on the launcher's ports; throws naming the busy ones after <paramref name="timeout"/>.</summary>
    public static Task WaitUntilFreeAsync(int silos, TimeSpan timeout) => WaitUntilFreeAsync(Launcher(silos), timeout);

    /// <summary>Waits until no process listens on <paramref name="endpoints"/>; throws naming the busy ones after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilFreeAsync(IReadOnlyList<IPEndPoint> endpoints, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var busy = new List<IPEndPoint>();
            foreach (var endpoint in endpoints)
                if (await IsListeningAsync(endpoint)) busy.Add(endpoint);
            if (busy.Count == 0) return;
            if (DateTime.UtcNow >= until)
                throw new InvalidOperationException(
                    $"{string.Join(", ", busy)} in use: another local cluster is running ('ss -ltnp' shows whose). " +
                    "Stop it before running the end-to-end tests: they start their own clusters on the same ports.");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>Throws if an endpoint of the launcher's cluster has more than one listener. See <see cref="EnsureNotShared(IReadOnlyList{IPEndPoint})"/>.</summary>
    public static void EnsureNotShared(int silos) => EnsureNotShared(Launcher(silos));

    /// <summary>
    /// Throws if one of <paramref name="endpoints"/> has more than one listener (a listener on the wildcard address
    /// counts for every address): somebody started silos next to ours (an older build without the silo host's port
    /// check shares the ports), and CLI calls could reach either cluster. Reads the kernel's socket tables, so it only
    /// knows on Linux; elsewhere it checks nothing.
    /// </summary>
    public static void EnsureNotShared(IReadOnlyList<IPEndPoint> endpoints)
    {
        var listeners = Listeners();
        var shared = endpoints
            .Select(e => (Endpoint: e, Count: listeners.Count(l => l.Port == e.Port && (l.Address.Equals(e.Address) || IsWildcard(l.Address)))))
            .Where(x => x.Count > 1)
            .Select(x => $"{x.Endpoint} ({x.Count} listeners)")
            .ToArray();
        if (shared.Length > 0)
            throw new InvalidOperationException(
                $"{string.Join(", ", shared)} shared with another process: another local cluster was started " +
                "next to the test cluster ('ss -ltnp' shows whose), so CLI calls may reach either one. Stop it and run the tests again.");
    }

    private static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    /// <summary>Every TCP listener of the machine, from /proc/net/tcp{,6}: "sl local_address rem_address st ...",
    /// local_address is HEXADDR:HEXPORT (the address in the kernel's byte order), st 0A is LISTEN.</summary>
    private static List<IPEndPoint> Listeners()
    {
        var listeners = new List<IPEndPoint>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length < 4 || columns[3] != "0A") continue;
                var colon = columns[1].LastIndexOf(':');
                var port = int.Parse(columns[1][(colon + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                listeners.Add(new IPEndPoint(AddressOf(columns[1][..colon]), port));
            }
        }
        return listeners;
    }

    /// <summary>An address of /proc/net/tcp: groups of four bytes, each group in host (little-endian) order.</summary>
    private static IPAddress AddressOf(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var i = 0; i + 4 <= bytes.Length; i += 4) Array.Reverse(bytes, i, 4);
        var address = new IPAddress(bytes);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    private static async Task<bool> IsListeningAsync(IPEndPoint endpoint)
    {
        using var client = new TcpClient(endpoint.AddressFamily);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync(endpoint, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
