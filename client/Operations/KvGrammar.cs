using OrleansRaft.Cli.Arguments;
using OrleansRaft.Cli.Shell;

namespace OrleansRaft.Cli.Operations;

/// <summary>
/// The KV commands shared by the command line (<c>set k v</c>) and the shell (<c>SET k v</c>): their verbs
/// (case-insensitive), arguments and synopses, so both front ends accept and explain exactly the same things.
/// </summary>
internal static class KvGrammar
{
    private static readonly Dictionary<string, KvVerb> Verbs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["get"] = KvVerb.Get,
        ["set"] = KvVerb.Set,
        ["del"] = KvVerb.Delete,
        ["delete"] = KvVerb.Delete,
        ["cas"] = KvVerb.CompareAndSet,
        ["append"] = KvVerb.Append,
    };

    public static bool TryGetVerb(string word, out KvVerb verb) => Verbs.TryGetValue(word, out verb);

    public static string Synopsis(KvVerb verb) => verb switch
    {
        KvVerb.Get => "get KEY [--stale]",
        KvVerb.Set => "set KEY VALUE",
        KvVerb.Delete => "del KEY",
        KvVerb.CompareAndSet => "cas KEY EXPECTED|NIL NEW",
        KvVerb.Append => "append KEY VALUE",
        _ => throw new ArgumentOutOfRangeException(nameof(verb), verb, null),
    };

    /// <summary>Builds the operation from the words after the verb. A bare <c>NIL</c> as the expected value of
    /// cas means "only if absent". Throws <see cref="UsageException"/> on a wrong number of arguments.</summary>
    public static KvOperation Build(KvVerb verb, IReadOnlyList<ShellWord> args, bool stale = false)
    {
        var expected = verb switch
        {
            KvVerb.Get or KvVerb.Delete => 1,
            KvVerb.Set or KvVerb.Append => 2,
            KvVerb.CompareAndSet => 3,
            _ => throw new ArgumentOutOfRangeException(nameof(verb), verb, null),
        };
        if (args.Count != expected)
        {
            var hint = args.Count > expected ? "; quote a value that contains spaces" : "";
            throw new UsageException($"expected '{Synopsis(verb)}' (got {args.Count} argument{(args.Count == 1 ? "" : "s")}{hint})");
        }
        return verb switch
        {
            KvVerb.Get => new KvOperation(verb, args[0].Text, Stale: stale),
            KvVerb.Delete => new KvOperation(verb, args[0].Text),
            KvVerb.Set or KvVerb.Append => new KvOperation(verb, args[0].Text, args[1].Text),
            _ => new KvOperation(verb, args[0].Text, args[2].Text, Expected: IsNil(args[1]) ? null : args[1].Text),
        };
    }

    private static bool IsNil(ShellWord word) => !word.Quoted && word.Text == ShellQuoting.Nil;
}
