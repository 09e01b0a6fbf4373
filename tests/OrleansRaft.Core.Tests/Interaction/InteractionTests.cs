using System.Text;

namespace OrleansRaft.Core.Tests.Interaction;

/// <summary>
/// Runs every <c>testdata/*.txt</c> script and compares each command's output with the expected output
/// written below it. Set <c>RAFT_REWRITE=1</c> to regenerate the expected output in the source tree
/// instead; then read the diff line by line before committing it: the golden files are the spec.
/// </summary>
public sealed class InteractionTests
{
    private const string RewriteVariable = "RAFT_REWRITE";

    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(TestDataDirectory(), "*.txt").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script(string file)
    {
        var path = Path.Combine(TestDataDirectory(), file);
        var script = ScriptFile.Parse(File.ReadAllText(path), file);
        var env = new InteractionEnv();
        var outputs = script.Cases.Select(c => env.Run(c.Command)).ToList();

        if (Environment.GetEnvironmentVariable(RewriteVariable) == "1")
        {
            File.WriteAllText(path, script.Render(outputs));
            return;
        }

        var failures = new StringBuilder();
        for (var i = 0; i < script.Cases.Count; i++)
        {
            var @case = script.Cases[i];
            if (@case.Expected.SequenceEqual(outputs[i])) continue;
            failures.Append($"{file}:{@case.LineNumber}: {@case.Command}\n--- expected\n")
                .AppendJoin('\n', @case.Expected).Append("\n+++ actual\n")
                .AppendJoin('\n', outputs[i]).Append("\n\n");
        }
        Assert.True(failures.Length == 0, $"Output differs (run with {RewriteVariable}=1 to regenerate):\n{failures}");
    }

    /// <summary>The source tree's testdata folder, so that a rewrite lands where git sees it; the copy next to
    /// the test assembly when the sources are not around.</summary>
    private static string TestDataDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansRaft.Core.Tests.csproj")))
                return Path.Combine(dir.FullName, "testdata");
        }
        return Path.Combine(AppContext.BaseDirectory, "testdata");
    }
}
