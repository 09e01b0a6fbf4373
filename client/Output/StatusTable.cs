using System.Globalization;
using System.Text;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Cli.Output;

/// <summary>Renders <c>status</c>: a header, one aligned row per peer, then the reasons peers did not answer.</summary>
internal static class StatusTable
{
    private static readonly string[] Header = ["PEER", "SILO", "ROLE", "TERM", "LEADER", "COMMIT", "APPLIED", "LOG"];

    public static string Format(PeerStatusList list)
    {
        var rows = new List<string[]> { Header };
        var problems = new List<string>();
        for (var i = 0; i < list.Peers.Length; i++)
        {
            var peer = list.Peers[i];
            var name = peer?.Peer ?? new PeerKey(list.Group, i).ToString();
            if (peer is null)
            {
                rows.Add([name, "-", "unreachable", "-", "-", "-", "-", "-"]);
                problems.Add($"{name}: {CleanError(list, i)}");
                continue;
            }
            rows.Add([
                name, peer.Silo, peer.Role, Number(peer.Term), peer.Leader ?? "-",
                Number(peer.CommitIndex), Number(peer.AppliedIndex), Number(LogLength(peer)),
            ]);
        }

        var answered = list.Peers.Count(p => p is not null);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"group {list.Group}: {answered} of {list.Peers.Length} peers answered")
            .AppendLine();
        AppendAligned(text, rows);
        foreach (var problem in problems) text.AppendLine(problem);
        return text.ToString();
    }

    /// <summary>Entries the peer holds in its log (after its last snapshot); an empty log has FirstIndex = LastIndex + 1.</summary>
    internal static long LogLength(PeerStatus peer) => Math.Max(0, peer.LastIndex - peer.FirstIndex + 1);

    private static string CleanError(PeerStatusList list, int i)
    {
        var error = i < list.Errors.Length ? list.Errors[i] : null;
        return string.IsNullOrWhiteSpace(error) ? "no answer" : Errors.CliError.OneLine(error);
    }

    private static void AppendAligned(StringBuilder text, List<string[]> rows)
    {
        var widths = new int[Header.Length];
        foreach (var row in rows)
            for (var c = 0; c < row.Length; c++) widths[c] = Math.Max(widths[c], row[c].Length);
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++)
            {
                // Two spaces between columns; none after the last one, so lines carry no trailing blanks.
                if (c == row.Length - 1) text.Append(row[c]);
                else text.Append(row[c].PadRight(widths[c] + 2));
            }
            text.AppendLine();
        }
    }

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
