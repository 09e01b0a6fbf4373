using System.Net;
using System.Net.Sockets;

namespace OrleansRaft.Silo;

/// <summary>
/// Refuses to start a silo on an address that is not this machine's, or on a port somebody already listens on.
/// Orleans listens with .NET's ReuseAddress, which on Linux is SO_REUSEPORT too: a second silo on a port in use does
/// not fail to bind, it shares the port with the first one, and the kernel hands each new connection to either, so
/// clients get answers from two unrelated clusters. A connection attempt tells a live listener (accepted) from a
/// free port (refused at once).
/// </summary>
internal static class PortCheck
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    public static async Task EnsureFreeAsync(SiloArguments args, CancellationToken cancellationToken)
    {
        EnsureLocal(args);
        var ports = new List<(int, string)> { (args.SiloPort, "silo"), (args.GatewayPort, "gateway") };
        if (args.MetricsPort != 0) ports.Add((args.MetricsPort, "metrics"));
        foreach (var (port, what) in ports)
        {
            if (await IsListeningAsync(args.Address, port, cancellationToken))
                throw new SiloStartupException(
                    $"node {args.Node} could not start: its {what} port {port} on {args.Address} is in use (another silo or cluster still running? 'ss -ltnp' shows whose)",
                    new SocketException((int)SocketError.AddressAlreadyInUse));
        }
    }

    /// <summary>Binding to port 0 of the address fails at once when no interface of this machine has it.</summary>
    private static void EnsureLocal(SiloArguments args)
    {
        using var socket = new Socket(args.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(args.Address, 0));
        }
        catch (SocketException e)
        {
            throw new SiloStartupException(
                $"node {args.Node} could not start: --address {args.Address} is not an address of this machine ({e.Message}); 'ip addr' lists them", e);
        }
    }

    public static async Task<bool> IsListeningAsync(IPAddress address, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient(address.AddressFamily);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await client.ConnectAsync(address, port, timeout.Token);
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
