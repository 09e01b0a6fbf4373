using System.Globalization;
using System.Text;

namespace OrleansRaft.Cli.Output;

/// <summary>Left-aligned columns two spaces apart, for the tables of <c>status</c> and <c>member list</c>: one line per
/// row, no trailing blanks, a dash in every cell that has no value (so that splitting on spaces finds every column).</summary>
internal static class TextTable
{
    public const string None = "-";

    public static void Append(StringBuilder text, IReadOnlyList<string[]> rows)
    {
        var widths = new int[rows.Max(r => r.Length)];
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

    public static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>"1 voter", "3 voters".</summary>
    public static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{Number(n)} {noun}s";
}
