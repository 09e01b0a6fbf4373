using System.Globalization;
using System.Text;
using OrleansRaft.Kv;
using OrleansRaft.Peers;

namespace OrleansRaft.Cli.Output;

/// <summary>
/// Renders <c>status</c>: a summary line, one aligned row per peer, the reasons peers did not answer, then (when the
/// peers report it) the members section of <c>StatusTable.Members.cs</c>. The first part keeps its columns for the
/// scripts that read it (<c>PEER SILO ROLE TERM LEADER COMMIT APPLIED LOG</c>, one row per peer right after the header).
/// </summary>
internal static partial class StatusTable
{
    private static readonly string[] Header = ["PEER", "SILO", "ROLE", "TERM", "LEADER", "COMMIT", "APPLIED", "LOG"];

    public static string Format(PeerStatusList list)
    {
        var rows = new List<string[]> { Header };
        var problems = new List<string>();
        for (var i = 0; i < list.Peers.Length; i++)
        {
            var peer = list.Peers[i];
            var name = NameOf(list, i);
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
        TextTable.Append(text, rows);
        foreach (var problem in problems) text.AppendLine(problem);
        AppendMembers(text, list);
        return text.ToString();
    }

    /// <summary>Entries the peer holds in its log (after its last snapshot); an empty log has FirstIndex = LastIndex + 1.</summary>
    internal static long LogLength(PeerStatus peer) => Math.Max(0, peer.LastIndex - peer.FirstIndex + 1);

    /// <summary>The peer's id, or, for one that did not answer, the bootstrap peer of its position.</summary>
    private static string NameOf(PeerStatusList list, int i) =>
        list.Peers[i]?.Peer ?? (list.Keys is { } keys && i < keys.Length ? keys[i] : new PeerKey(list.Group, i).ToString());

    private static string CleanError(PeerStatusList list, int i)
    {
        var error = i < list.Errors.Length ? list.Errors[i] : null;
        return string.IsNullOrWhiteSpace(error) ? "no answer" : Errors.CliError.OneLine(error);
    }

    private static string Number(long n) => TextTable.Number(n);
}
