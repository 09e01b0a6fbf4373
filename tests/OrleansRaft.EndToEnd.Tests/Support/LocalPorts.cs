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
