using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OrleansRaft.Cli.Connection;

namespace OrleansRaft.Client.Tests.Client;

/// <summary>The real Orleans connector, against ports where nothing listens: no cluster needed to test failure.</summary>
public class LocalClusterConnectionTests
{
    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task No_gateway_is_a_clear_unavailable_error_at_the_deadline()
    {
        var port = UnusedPort();
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<RaftKvUnavailableException>(
            () => RaftClusterConnection.ConnectLocalAsync([port], TimeSpan.FromSeconds(1)));
        Assert.Equal($"no OrleansRaft gateway reachable at 127.0.0.1:{port} within 1s", e.Message);
        Assert.Equal("", e.Group);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task The_cli_reports_an_unreachable_gateway_in_one_line_with_exit_3()
    {
        var port = UnusedPort();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await OrleansRaft.Cli.CliApp.RunAsync(
            ["--gateway", $"127.0.0.1:{port}", "--timeout", "0.5", "get", "k"],
            TextReader.Null, stdout, stderr, OrleansKvConnector.ConnectAsync, CancellationToken.None);
        Assert.Equal(3, code);
        Assert.Equal("", stdout.ToString());
        Assert.Equal($"error: unavailable: no OrleansRaft gateway reachable at 127.0.0.1:{port} within 0.5s{Environment.NewLine}", stderr.ToString());
    }

    [Fact]
    public async Task Every_gateway_is_named_when_none_answers()
    {
        var (a, b) = (UnusedPort(), UnusedPort());
        var e = await Assert.ThrowsAsync<RaftKvUnavailableException>(() => RaftClusterConnection.ConnectAsync(
            [new GatewayAddress("127.0.0.2", a), new GatewayAddress("127.0.0.3", b)], TimeSpan.FromSeconds(1)));
        Assert.Equal($"no OrleansRaft gateway reachable at 127.0.0.2:{a}, 127.0.0.3:{b} within 1s", e.Message);
    }

    [Fact]
    public async Task A_gateway_host_that_does_not_resolve_is_unavailable_and_named()
    {
        var e = await Assert.ThrowsAsync<RaftKvUnavailableException>(() => RaftClusterConnection.ConnectAsync(
            [new GatewayAddress("no-such-host.invalid", 30000)], TimeSpan.FromSeconds(5)));
        // Without DNS at all the lookup may only time out; either way the message names the host.
        Assert.Contains("no-such-host.invalid", e.Message);
    }

    [Fact]
    public async Task Ip_addresses_resolve_to_themselves()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 30000), await new GatewayAddress("127.0.0.3", 30000).ResolveAsync());
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 30000), await GatewayAddress.Parse("[::1]:30000").ResolveAsync());
    }

    [Fact]
    public void Gateway_endpoints_are_loopback_ports()
    {
        Assert.Equal(
            [new IPEndPoint(IPAddress.Loopback, 30000), new IPEndPoint(IPAddress.Loopback, 30001)],
            ClientBuilderExtensions.GatewayEndpoints([30000, 30001]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClientBuilderExtensions.GatewayEndpoints([0]));
        Assert.Throws<ArgumentException>(() => ClientBuilderExtensions.GatewayEndpoints([]));
    }
}
