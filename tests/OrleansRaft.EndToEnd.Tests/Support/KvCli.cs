using System.Text;
using Xunit.Sdk;

namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>KV steps the failure and durability scenarios share, each through the real CLI.</summary>
internal static class KvCli
{
    /// <summary>Writes every pair in one shell session and checks each was acknowledged.</summary>
    public static async Task SetAllAsync(IReadOnlyDictionary<string, string> pairs, CliTarget? cli = null)
    {
        var script = new StringBuilder();
        foreach (var (key, value) in pairs) script.Append("SET ").Append(key).Append(' ').Append(value).Append('\n');
        CliAssert.Prints(await (cli ?? CliTarget.Local).RunAsync(["shell"], script.ToString()), 0, pairs.Select(_ => "OK").ToArray());
    }

    /// <summary>Reads every key in one shell session (linearizable reads) and checks each has its value.</summary>
    public static Task AssertAllReadableAsync(IReadOnlyDictionary<string, string> pairs, CliTarget? cli = null) =>
        AssertReadableAsync(pairs.Select(p => (p.Key, p.Value)).ToArray(), [], cli);

    /// <summary>
    /// Reads every key in one shell session: each <paramref name="acknowledged"/> write must be there; each
    /// <paramref name="unconfirmed"/> one is either there or absent, never anything else.
    /// </summary>
    public static async Task AssertReadableAsync(
        IReadOnlyList<(string Key, string Value)> acknowledged, IReadOnlyList<(string Key, string Value)> unconfirmed, CliTarget? cli = null)
    {
        var all = acknowledged.Concat(unconfirmed).ToArray();
        var script = string.Concat(all.Select(w => $"GET {w.Key}\n"));
        var result = await (cli ?? CliTarget.Local).RunAsync(["shell"], script);
        var lines = result.StdoutLines;
        if (result.ExitCode != 0 || lines.Count != all.Length)
            throw new XunitException($"expected one answer per GET ({all.Length}); got:{Environment.NewLine}{result}");
        for (var i = 0; i < all.Length; i++)
        {
            var (key, value) = all[i];
            var wasAcknowledged = i < acknowledged.Count;
            if (lines[i] == $"VALUE {value}" || (!wasAcknowledged && lines[i] == "NIL")) continue;
            throw new XunitException($"{(wasAcknowledged ? "acknowledged" : "unconfirmed")} write {key}={value} reads back as '{lines[i]}'{Environment.NewLine}{result}");
        }
    }
}
