using System.Net;
using System.Net.Sockets;

namespace OrleansRaft.Silo;

/// <summary>
/// Refuses to start a silo on a port somebody already listens on. Orleans listens with .NET's ReuseAddress, which
/// on Linux is SO_REUSEPORT too: a second silo on a port in use does not fail to bind, it shares the port with
/// the first one, and the kernel hands each new connection to either, so clients get answers from two unrelated
/// clusters. A connection attempt tells a live listener (accepted) from a free port (refused at once).
/// </summary>
internal static class PortCheck
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    public static async Task EnsureFreeAsync(SiloArguments args, CancellationToken cancellationToken)
    {
        foreach (var (port, what) in new[] { (args.SiloPort, "silo"), (args.GatewayPort, "gateway") })
        {
            if (await IsListeningAsync(port, cancellationToken))
                throw new SiloStartupException(
                    $"silo {args.Index} could not start: its {what} port {port} on 127.0.0.1 is in use (another silo or cluster still running? 'ss -ltnp' shows whose)",
                    new SocketException((int)SocketError.AddressAlreadyInUse));
        }
    }

    private static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // nobody accepted in time: not a live listener
        }
    }
}
