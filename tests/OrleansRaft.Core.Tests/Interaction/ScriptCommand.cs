namespace OrleansRaft.Core.Tests.Interaction;

/// <summary>A parsed command line: a name, positional arguments and <c>key=value</c> options.</summary>
public sealed class ScriptCommand
{
    private readonly Dictionary<string, string> _options;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private ScriptCommand(string name, IReadOnlyList<string> args, Dictionary<string, string> options)
    {
        Name = name;
        Args = args;
        _options = options;
    }

    public string Name { get; }

    public IReadOnlyList<string> Args { get; }

    /// <summary>Whether the line gave any <c>key=value</c> option.</summary>
    public bool HasOptions => _options.Count > 0;

    public static ScriptCommand Parse(string line)
    {
        var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var args = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in tokens.Skip(1))
        {
            var eq = token.IndexOf('=');
            if (eq > 0) options[token[..eq]] = token[(eq + 1)..];
            else args.Add(token);
        }
        return new ScriptCommand(tokens[0], args, options);
    }

    public string Arg(int index) =>
        index < Args.Count ? Args[index] : throw new ScriptException($"{Name}: missing argument {index + 1}.");

    public int IntArg(int index) =>
        int.TryParse(Arg(index), out var value) ? value : throw new ScriptException($"{Name}: '{Arg(index)}' is not a number.");

    public string? Option(string key)
    {
        _used.Add(key);
        return _options.GetValueOrDefault(key);
    }

    public bool BoolOption(string key, bool fallback) => Option(key) switch
    {
        null => fallback,
        "true" => true,
        "false" => false,
        var other => throw new ScriptException($"{Name}: {key}={other} is not true or false."),
    };

    public long LongOption(string key, long fallback) => Option(key) switch
    {
        null => fallback,
        var text when long.TryParse(text, out var value) => value,
        var other => throw new ScriptException($"{Name}: {key}={other} is not a number."),
    };

    /// <summary>A comma-separated list option (<c>drop=2,3</c>), empty when absent.</summary>
    public IReadOnlyList<string> ListOption(string key) =>
        Option(key)?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>Fails on options the command did not read, so that a typo never passes silently.</summary>
    public void CheckAllOptionsUsed()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ScriptException($"{Name}: unknown option(s) {string.Join(", ", unknown)}.");
    }
}

/// <summary>A malformed script command; reported as the command's output.</summary>
public sealed class ScriptException(string message) : Exception(message);
