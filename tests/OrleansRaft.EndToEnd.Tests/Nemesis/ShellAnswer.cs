using System.Globalization;
using System.Text;

namespace OrleansRaft.EndToEnd.Tests.Nemesis;

internal enum AnswerKind
{
    Ok,
    Value,
    Nil,
    Swapped,
    NotSwapped,
    Error,
}

/// <summary>
/// One answer line of the shell protocol: <c>OK</c>, <c>VALUE v</c>, <c>NIL</c>, <c>SWAPPED</c>,
/// <c>NOT-SWAPPED v|NIL</c> or <c>ERR code message</c>. Values are unquoted with the protocol's rule (a word in
/// double quotes with the escapes \" \\ \n \r \t \uXXXX, a bare NIL means absent).
/// </summary>
internal sealed record ShellAnswer(AnswerKind Kind, string? Value = null, string? ErrorCode = null)
{
    /// <summary>Error codes after which a command may or may not have taken effect: the client gave up waiting.</summary>
    private static readonly HashSet<string> OutcomeUnknownCodes = ["timeout", "unavailable", "limit", "internal"];

    /// <summary>The command may or may not have taken effect.</summary>
    public bool IsOutcomeUnknown => Kind == AnswerKind.Error && OutcomeUnknownCodes.Contains(ErrorCode!);

    /// <summary>Parses <paramref name="line"/>; null if it is not a protocol answer at all.</summary>
    public static ShellAnswer? Parse(string line)
    {
        switch (line)
        {
            case "OK": return new(AnswerKind.Ok);
            case "NIL": return new(AnswerKind.Nil);
            case "SWAPPED": return new(AnswerKind.Swapped);
        }
        if (line.StartsWith("VALUE ", StringComparison.Ordinal))
            return Word(line["VALUE ".Length..]) is { } value ? new(AnswerKind.Value, value) : null;
        if (line == "NOT-SWAPPED NIL") return new(AnswerKind.NotSwapped);
        if (line.StartsWith("NOT-SWAPPED ", StringComparison.Ordinal))
            return Word(line["NOT-SWAPPED ".Length..]) is { } current ? new(AnswerKind.NotSwapped, current) : null;
        if (line.StartsWith("ERR ", StringComparison.Ordinal))
        {
            var rest = line["ERR ".Length..];
            var space = rest.IndexOf(' ');
            return new(AnswerKind.Error, rest, space < 0 ? rest : rest[..space]);
        }
        return null;
    }

    /// <summary>The whole of <paramref name="text"/> as one protocol word, or null if it is not exactly one.</summary>
    private static string? Word(string text)
    {
        if (text.Length == 0) return null;
        if (text[0] != '"') return text.Contains(' ') || text.Contains('"') ? null : text;
        var value = new StringBuilder();
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"') return i == text.Length - 1 ? value.ToString() : null;
            if (c != '\\') { value.Append(c); continue; }
            if (++i == text.Length) return null;
            switch (text[i])
            {
                case '"' or '\\': value.Append(text[i]); break;
                case 'n': value.Append('\n'); break;
                case 'r': value.Append('\r'); break;
                case 't': value.Append('\t'); break;
                case 'u' when i + 4 < text.Length && ushort.TryParse(text.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit):
                    value.Append((char)unit);
                    i += 4;
                    break;
                default: return null;
            }
        }
        return null;
    }
}
