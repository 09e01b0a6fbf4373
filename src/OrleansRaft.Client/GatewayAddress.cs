using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OrleansRaft.Client;

/// <summary>
/// One gateway of an OrleansRaft cluster, written <c>host:port</c>: an IP address or a DNS name, and the silo's
/// gateway port (<c>127.0.0.2:30000</c>, <c>raft-1.internal:30000</c>, <c>[::1]:30000</c>). Names are resolved when
/// a connection is opened, not when the address is parsed.
/// </summary>
public sealed record GatewayAddress
{
    /// <summary>What <see cref="Parse"/> accepts, for error messages.</summary>
    public const string Syntax = "host:port, like 127.0.0.1:30000 ([::1]:30000 for IPv6)";

    public GatewayAddress(string host, int port)
    {
        if (ProblemWithHost(host) is { } hostProblem) throw new ArgumentException(hostProblem, nameof(host));
        if (port is < 1 or > IPEndPoint.MaxPort) throw new ArgumentOutOfRangeException(nameof(port), port, "A gateway port must be between 1 and 65535.");
        Host = host;
        Port = port;
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>The gateway on 127.0.0.1 at <paramref name="port"/>: where the local launcher's silos listen.</summary>
    public static GatewayAddress Loopback(int port) => new(IPAddress.Loopback.ToString(), port);

    /// <summary><c>host:port</c>, with brackets around an IPv6 host: the form <see cref="Parse"/> reads back.</summary>
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Reads one <c>host:port</c>; throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static GatewayAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0) throw new FormatException($"empty gateway: expected {Syntax}");
        if (trimmed.IndexOfAny([';', ' ', '\t']) is var separator and >= 0)
            throw new FormatException($"invalid gateway '{trimmed}': unexpected '{trimmed[separator]}' (separate gateways with commas)");
        string host, port;
        if (trimmed.StartsWith('['))
        {
            var close = trimmed.IndexOf(']');
            if (close < 0 || close + 1 >= trimmed.Length || trimmed[close + 1] != ':')
                throw new FormatException($"invalid gateway '{trimmed}': expected {Syntax}");
            host = trimmed[1..close];
            port = trimmed[(close + 2)..];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                throw new FormatException($"invalid gateway '{trimmed}': only an IPv6 address goes in brackets");
        }
        else
        {
            var colon = trimmed.LastIndexOf(':');
            if (colon < 0) throw new FormatException($"invalid gateway '{trimmed}': no port; expected {Syntax}");
            host = trimmed[..colon];
            port = trimmed[(colon + 1)..];
            if (host.Contains(':')) throw new FormatException($"invalid gateway '{trimmed}': write an IPv6 address in brackets, like [::1]:30000");
        }
        if (ProblemWithHost(host) is { } problem) throw new FormatException($"invalid gateway '{trimmed}': {problem}");
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > IPEndPoint.MaxPort)
            throw new FormatException($"invalid gateway '{trimmed}': the port must be a number from 1 to 65535");
        return new GatewayAddress(host, number);
    }

    /// <summary>Reads a comma-separated list of <c>host:port</c> (spaces around commas allowed, no duplicates).</summary>
    public static IReadOnlyList<GatewayAddress> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var gateways = text.Split(',').Select(Parse).ToArray();
        var twice = gateways.GroupBy(g => g).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new FormatException($"gateway {twice.Key} is listed twice");
        return gateways;
    }

    /// <summary>The address to connect to: the host itself when it is an IP address, else the first IPv4 (then IPv6)
    /// address DNS gives for it. Throws <see cref="RaftKvUnavailableException"/> when the name does not resolve.</summary>
    public async Task<IPEndPoint> ResolveAsync(CancellationToken cancellationToken = default)
    {
        if (IPAddress.TryParse(Host, out var literal)) return new IPEndPoint(literal, Port);
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(Host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new RaftKvUnavailableException("", $"gateway host '{Host}' does not resolve: {e.Message}", innerException: e);
        }
        var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6)
            ?? throw new RaftKvUnavailableException("", $"gateway host '{Host}' resolves to no IP address");
        return new IPEndPoint(address, Port);
    }

    private static string? ProblemWithHost(string? host)
    {
        if (string.IsNullOrEmpty(host)) return "no host before the port";
        // IPAddress.TryParse reads "1" or "10.1" as IPv4 addresses; here a number-only host must be a dotted quad.
        if (host.All(c => char.IsAsciiDigit(c) || c == '.') && (host.Split('.').Length != 4 || !IPAddress.TryParse(host, out _)))
            return $"'{host}' is not an IPv4 address (four numbers from 0 to 255, like 127.0.0.1)";
        if (IPAddress.TryParse(host, out var address))
            return address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? $"{host} is not an address to connect to; name the silo's own address" : null;
        return Uri.CheckHostName(host) == UriHostNameType.Dns ? null : $"'{host}' is neither an IP address nor a host name";
    }
}
