using System.Text;
using OrleansRaft.Kv;
using OrleansRaft.Membership;
using OrleansRaft.Peers;

namespace OrleansRaft.Cli.Output;

/// <summary>
/// The members section of <c>status</c>, after a blank line: per peer, its node, whether it is a voter or a learner
/// (or was removed), and, from the leader's view, its match index and how far it lags behind the leader's last index.
/// Then the members the leader knows that no peer row stands for (one just added). Omitted when no peer reports
/// membership at all (a silo from before membership changes).
/// </summary>
internal static partial class StatusTable
{
    public const string Removed = "removed";

    private static readonly string[] MembersHeader = ["PEER", "NODE", "MEMBER", "MATCH", "LAG"];

    private static void AppendMembers(StringBuilder text, PeerStatusList list)
    {
        var answered = list.Peers.OfType<PeerStatus>().ToArray();
        if (!answered.Any(p => p.Node is not null || p.Voters is not null || p.Members is { Length: > 0 })) return;
        // The leader of the latest term is the one whose view counts; without one, the latest configuration any peer holds.
        var leader = answered.Where(p => p.Members is { Length: > 0 }).MaxBy(p => p.Term);
        var reference = leader?.Voters is not null ? leader : answered.Where(p => p.Voters is not null).MaxBy(p => p.ConfigIndex);
        var members = leader?.Members ?? [];

        var rows = new List<string[]> { MembersHeader };
        var shown = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Peers.Length; i++)
        {
            var name = NameOf(list, i);
            shown.Add(name);
            rows.Add(MemberRow(name, list.Peers[i], members.FirstOrDefault(m => m.Peer == name), reference, leader is not null));
        }
        foreach (var member in members.Where(m => shown.Add(m.Peer)))
            rows.Add(MemberRow(member.Peer, null, member, reference, leaderKnown: true));
        foreach (var id in (reference?.Voters ?? []).Concat(reference?.Learners ?? []).Where(shown.Add))
            rows.Add(MemberRow(id, null, null, reference, leader is not null));

        text.AppendLine().AppendLine(MembersTitle(leader, reference));
        TextTable.Append(text, rows);
    }

    private static string MembersTitle(PeerStatus? leader, PeerStatus? reference)
    {
        var configuration = reference is null ? "of a configuration no peer reported" : MembersTable.Since(reference.ConfigIndex);
        if (leader is null) return $"members {configuration} (no leader answered: match and lag unknown):";
        var handover = leader.LeadTransferee is { } to ? $", which is handing over to {to}" : "";
        return $"members {configuration}, match and lag from leader {leader.Peer}{handover}:";
    }

    private static string[] MemberRow(string name, PeerStatus? peer, MemberInfo? member, PeerStatus? reference, bool leaderKnown)
    {
        var node = peer?.Node ?? member?.Node ?? (PeerKey.TryParse(name, out var key) ? key.Node : null) ?? TextTable.None;
        return [
            name, node, MemberKind(name, peer, member, reference, leaderKnown),
            member is null ? TextTable.None : Number(member.Match), member is null ? TextTable.None : Number(member.Lag),
        ];
    }

    /// <summary>voter or learner as the leader (else the latest configuration) says; removed when the peer says so, or
    /// when the leader's configuration has no place for it; a dash when nobody can tell.</summary>
    private static string MemberKind(string name, PeerStatus? peer, MemberInfo? member, PeerStatus? reference, bool leaderKnown)
    {
        if (peer?.Removed == true) return Removed;
        if (member is not null) return MembersTable.RoleName(member.Role);
        if (reference?.Voters?.Contains(name) == true) return MembersTable.RoleName(MemberRole.Voter);
        if (reference?.Learners?.Contains(name) == true) return MembersTable.RoleName(MemberRole.Learner);
        return leaderKnown ? Removed : TextTable.None;
    }
}
