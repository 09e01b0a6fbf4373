using System.Net;
using System.Net.Sockets;

namespace OrleansRaft.Client;

/// <summary>
/// Finds the gateways that accept a TCP connection right now. The Orleans client starts on a gateway picked at
/// random; when that one is down, its start waits a second for the cluster manifest before it tries another
/// (measured: <c>client get</c> with one silo of three down took 0.6 s or 1.6-1.8 s, by the pick). Starting on a
/// gateway that is listening avoids that, and waiting here until one listens is what a cluster still starting needs.
/// </summary>
internal static class GatewayProbe
{
    private static readonly TimeSpan Attempt = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    /// <summary>Indexes of the gateways that accepted a connection in the first round in which any did; empty if
    /// none did before <paramref name="cancellationToken"/> (the client's own start then reports the failure).</summary>
    public static async Task<int[]> ListeningAsync(IReadOnlyList<IPEndPoint> gateways, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var answers = await Task.WhenAll(gateways.Select(gateway => AcceptsAsync(gateway, cancellationToken))).ConfigureAwait(false);
            var listening = Enumerable.Range(0, gateways.Count).Where(i => answers[i]).ToArray();
            if (listening.Length > 0) return listening;
            try
            {
                await Task.Delay(Pause, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return [];
    }

    private static async Task<bool> AcceptsAsync(IPEndPoint gateway, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(Attempt);
        using var socket = new Socket(gateway.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(gateway, attempt.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
