using System.Globalization;
using System.Text.RegularExpressions;

namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>One row of <c>client status</c>: PEER SILO ROLE TERM LEADER COMMIT APPLIED LOG.</summary>
internal sealed record PeerRow(string Peer, string Silo, string Role, string Term, string Leader, string Commit, string Applied, string Log)
{
    public bool IsLeader => Role == "Leader";

    /// <summary>The index of the silo hosting this peer: the SILO column is <c>S127.0.0.1:PORT:GENERATION</c>,
    /// and silo N listens on 11111 + N. A method, not a property: an unreachable peer's row has a dash there,
    /// and the record's generated <c>ToString</c> (used in failure messages) must not throw on it.</summary>
    public int SiloIndex() =>
        TrySiloIndex(out var index) ? index : throw new FormatException($"peer {Peer}: SILO column '{Silo}' is not S<address>:<port>:<generation>");

    public bool TrySiloIndex(out int index)
    {
        index = -1;
        if (!TryEndpoint(out _, out var port)) return false;
        index = LocalPorts.SiloIndexOfPort(port);
        return true;
    }

    /// <summary>The address the hosting silo advertises (the SILO column without its port and generation): on the
    /// "machines" 127.0.0.2, 127.0.0.3, ... it tells which machine hosts the peer.</summary>
    public string SiloAddress() =>
        TryEndpoint(out var address, out _) ? address : throw new FormatException($"peer {Peer}: SILO column '{Silo}' is not S<address>:<port>:<generation>");

    private bool TryEndpoint(out string address, out int port)
    {
        (address, port) = ("", 0);
        var parts = Silo.Split(':');
        if (parts.Length != 3 || parts[0].Length < 2 || parts[0][0] != 'S'
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out port)) return false;
        address = parts[0][1..];
        return true;
    }
}

/// <summary>
/// <c>client status</c>, parsed: the line <c>group G: A of N peers answered</c>, the header, then one row per
/// peer (an unreachable peer's columns are dashes), then one line per peer that did not answer.
/// </summary>
internal sealed partial record StatusReport(string Group, int Answered, IReadOnlyList<PeerRow> Peers, IReadOnlyList<string> Problems)
{
    private static readonly string[] Header = ["PEER", "SILO", "ROLE", "TERM", "LEADER", "COMMIT", "APPLIED", "LOG"];

    public IReadOnlyList<PeerRow> Leaders => Peers.Where(p => p.IsLeader).ToArray();

    /// <summary>Why <paramref name="peer"/> did not answer: its line after the table (<c>kv/1: reason</c>), or null.</summary>
    public string? ProblemOf(string peer) =>
        Problems.FirstOrDefault(p => p.StartsWith(peer + ": ", StringComparison.Ordinal))?[(peer.Length + 2)..];

    public static StatusReport Parse(IReadOnlyList<string> lines)
    {
        if (lines.Count < 2) throw new FormatException($"status printed {lines.Count} lines");
        var summary = Summary().Match(lines[0]);
        if (!summary.Success) throw new FormatException($"status summary line '{lines[0]}' is not 'group G: A of N peers answered'");
        var total = int.Parse(summary.Groups["total"].Value, CultureInfo.InvariantCulture);
        if (!Columns(lines[1]).SequenceEqual(Header)) throw new FormatException($"status header '{lines[1]}' is not '{string.Join("  ", Header)}'");
        if (lines.Count < 2 + total) throw new FormatException($"status announced {total} peers but printed {lines.Count - 2} more lines");
        var peers = lines.Skip(2).Take(total).Select(line =>
        {
            var c = Columns(line);
            return c.Length == Header.Length
                ? new PeerRow(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7])
                : throw new FormatException($"status row '{line}' has {c.Length} columns, not {Header.Length}");
        }).ToArray();
        var problems = lines.Skip(2 + total).ToArray();
        return new StatusReport(summary.Groups["group"].Value, int.Parse(summary.Groups["answered"].Value, CultureInfo.InvariantCulture), peers, problems);
    }

    /// <summary>All peers answered, exactly one is leader, and every peer names it as leader in its term.</summary>
    public bool IsSettled(int peers) =>
        Peers.Count == peers && Answered == peers && Leaders.Count == 1
        && Peers.All(p => p.Leader == Leaders[0].Peer && p.Term == Leaders[0].Term);

    private static string[] Columns(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"^group (?<group>\S+): (?<answered>\d+) of (?<total>\d+) peers answered$")]
    private static partial Regex Summary();
}
