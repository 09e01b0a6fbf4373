namespace OrleansRaft.Core.Tests.Interaction;

/// <summary>One command of a script with the output expected below it.</summary>
/// <param name="Preamble">Comment and blank lines just above the command, kept verbatim on rewrite.</param>
/// <param name="LineNumber">1-based line of the command, for failure messages.</param>
public sealed record ScriptCase(IReadOnlyList<string> Preamble, string Command, int LineNumber, IReadOnlyList<string> Expected);

/// <summary>
/// A data-driven script in the etcd-io/raft <c>testdata/*.txt</c> format: a command line, a <c>----</c>
/// separator, the expected output, then a blank line. Lines starting with <c>#</c> are comments.
/// </summary>
/// <remarks>Expected output never contains blank lines (the runner prints none), so one blank line
/// unambiguously ends a case.</remarks>
public sealed class ScriptFile
{
    public const string Separator = "----";

    private ScriptFile(IReadOnlyList<ScriptCase> cases, IReadOnlyList<string> trailer)
    {
        Cases = cases;
        Trailer = trailer;
    }

    public IReadOnlyList<ScriptCase> Cases { get; }

    /// <summary>Comment lines after the last case.</summary>
    public IReadOnlyList<string> Trailer { get; }

    public static ScriptFile Parse(string text, string name)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var cases = new List<ScriptCase>();
        var preamble = new List<string>();
        var i = 0;
        while (i < lines.Length)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#'))
            {
                preamble.Add(line);
                i++;
                continue;
            }
            var commandLine = i + 1;
            if (i + 1 >= lines.Length || lines[i + 1] != Separator)
                throw new FormatException($"{name}:{commandLine}: expected '{Separator}' after command '{line}'.");
            i += 2;
            var expected = new List<string>();
            while (i < lines.Length && lines[i].Length > 0) expected.Add(lines[i++]);
            cases.Add(new ScriptCase(preamble, line, commandLine, expected));
            preamble = [];
        }
        // The final newline of the file shows up as one empty trailing element: not part of the trailer.
        while (preamble.Count > 0 && preamble[^1].Length == 0) preamble.RemoveAt(preamble.Count - 1);
        return new ScriptFile(cases, preamble);
    }

    /// <summary>Renders the script with <paramref name="outputs"/> (one per case) as the expected output.</summary>
    public string Render(IReadOnlyList<IReadOnlyList<string>> outputs)
    {
        if (outputs.Count != Cases.Count)
            throw new ArgumentException($"Expected {Cases.Count} outputs, got {outputs.Count}.", nameof(outputs));
        var writer = new System.Text.StringBuilder();
        for (var c = 0; c < Cases.Count; c++)
        {
            var @case = Cases[c];
            // The blank line that ends the previous case's output is the first line of this preamble.
            foreach (var line in @case.Preamble) writer.Append(line).Append('\n');
            writer.Append(@case.Command).Append('\n').Append(Separator).Append('\n');
            foreach (var line in outputs[c]) writer.Append(line).Append('\n');
        }
        foreach (var line in Trailer) writer.Append(line).Append('\n');
        return writer.ToString();
    }
}
