using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>One row of <c>client member list</c>: PEER NODE ROLE LEADER MATCH LAG RESPONSIVE.</summary>
internal sealed record MemberRow(string Peer, string Node, string Role, bool IsLeader, string Match, string Lag, string Responsive);

/// <summary><c>client member list</c>, parsed: a title line, the header, then one row per member.</summary>
internal sealed record MemberList(string Title, IReadOnlyList<MemberRow> Members)
{
    private static readonly string[] Header = ["PEER", "NODE", "ROLE", "LEADER", "MATCH", "LAG", "RESPONSIVE"];

    public IEnumerable<MemberRow> Voters => Members.Where(m => m.Role == "voter");

    public MemberRow Leader => Members.Single(m => m.IsLeader);

    public static MemberList Parse(CliResult result)
    {
        var lines = result.StdoutLines;
        var header = lines.Select((line, i) => (Columns(line), i)).FirstOrDefault(l => l.Item1.SequenceEqual(Header));
        if (header.Item1 is null) throw new FormatException($"no member table in:{Environment.NewLine}{result}");
        var rows = lines.Skip(header.i + 1).Select(Columns).TakeWhile(c => c.Length == Header.Length)
            .Select(c => new MemberRow(c[0], c[1], c[2], c[3] == "*", c[4], c[5], c[6])).ToArray();
        return new MemberList(header.i > 0 ? lines[header.i - 1] : "", rows);
    }

    /// <summary>Runs <c>member list</c> until it answers, within <paramref name="limit"/>.</summary>
    public static Task<MemberList> ReadAsync(TimeSpan limit) =>
        Deadline.RetryAsync("member list", limit, async () =>
        {
            var result = await CliTarget.Local.RunAsync("member", "list");
            return result.Succeeded ? (Parse(result), "") : ((MemberList?)null, result.ToString());
        });

    private static string[] Columns(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
