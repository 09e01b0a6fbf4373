using System.Globalization;
using System.Text;
using OrleansRaft.Cli.Arguments;

namespace OrleansRaft.Cli.Shell;

/// <summary>One word of a shell line. <see cref="Quoted"/> tells <c>NIL</c> (absent) from <c>"NIL"</c> (a string).</summary>
internal readonly record struct ShellWord(string Text, bool Quoted);

/// <summary>
/// The quoting rule of the shell protocol, both directions, so that every value the shell prints can be typed
/// back in unchanged:
/// <list type="bullet">
/// <item>Words are separated by spaces or tabs.</item>
/// <item>A bare word is taken literally up to the next space or tab; backslashes are ordinary, a <c>"</c> is an error.</item>
/// <item>A word that starts with <c>"</c> runs to the closing <c>"</c>, which must end the word. Inside it
/// <c>\"</c> <c>\\</c> <c>\n</c> <c>\r</c> <c>\t</c> and <c>\uXXXX</c> are escapes; any other backslash is an error.</item>
/// <item><c>""</c> is the empty string. A bare <c>NIL</c> means "no value" where the grammar allows it; <c>"NIL"</c> is the string.</item>
/// </list>
/// </summary>
internal static class ShellQuoting
{
    public const string Nil = "NIL";

    public static List<ShellWord> Split(string line)
    {
        var words = new List<ShellWord>();
        var i = 0;
        while (true)
        {
            while (i < line.Length && IsSeparator(line[i])) i++;
            if (i == line.Length) return words;
            words.Add(line[i] == '"' ? ReadQuoted(line, ref i) : ReadBare(line, ref i));
        }
    }

    /// <summary>The shortest form of <paramref name="value"/> that <see cref="Split"/> reads back as one word with the same text.</summary>
    public static string Quote(string value)
    {
        if (value.Length > 0 && value != Nil && IsBare(value)) return value;
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                '\t' => quoted.Append("\\t"),
                _ when char.IsControl(c) || IsLoneSurrogate(value, i) => quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => quoted.Append(c),
            };
        }
        return quoted.Append('"').ToString();
    }

    private static ShellWord ReadBare(string line, ref int i)
    {
        var start = i;
        while (i < line.Length && !IsSeparator(line[i]))
        {
            if (line[i] == '"') throw new UsageException($"unexpected '\"' at column {i + 1}: quote the whole value, as in \"a b\"");
            i++;
        }
        return new ShellWord(line[start..i], Quoted: false);
    }

    private static ShellWord ReadQuoted(string line, ref int i)
    {
        var open = i++;
        var text = new StringBuilder();
        while (true)
        {
            if (i == line.Length) throw new UsageException($"unterminated quote starting at column {open + 1}");
            var c = line[i++];
            if (c == '"') break;
            if (c != '\\') { text.Append(c); continue; }
            if (i == line.Length) throw new UsageException($"unterminated quote starting at column {open + 1}");
            var escape = line[i++];
            switch (escape)
            {
                case '"' or '\\': text.Append(escape); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'u' when i + 4 <= line.Length && ushort.TryParse(line.AsSpan(i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit):
                    text.Append((char)unit);
                    i += 4;
                    break;
                default:
                    throw new UsageException($"unknown escape '\\{escape}' at column {i - 1}: use \\\" \\\\ \\n \\r \\t or \\uXXXX");
            }
        }
        if (i < line.Length && !IsSeparator(line[i]))
            throw new UsageException($"a closing quote must end the word (column {i + 1})");
        return new ShellWord(text.ToString(), Quoted: true);
    }

    private static bool IsSeparator(char c) => c is ' ' or '\t';

    private static bool IsBare(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '"' or '\\' || char.IsWhiteSpace(c) || char.IsControl(c) || IsLoneSurrogate(value, i)) return false;
        }
        return true;
    }

    // A surrogate pair is an ordinary character (an emoji, say); half of one cannot be printed and must be escaped.
    private static bool IsLoneSurrogate(string value, int i) =>
        char.IsHighSurrogate(value[i]) ? i + 1 == value.Length || !char.IsLowSurrogate(value[i + 1])
        : char.IsLowSurrogate(value[i]) && (i == 0 || !char.IsHighSurrogate(value[i - 1]));
}
