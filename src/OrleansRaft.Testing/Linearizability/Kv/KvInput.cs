namespace OrleansRaft.Testing.Linearizability.Kv;

/// <summary>The KV operations the model knows.</summary>
public enum KvOpKind : byte
{
    /// <summary>Reads a key (absent reads as null).</summary>
    Get,

    /// <summary>Overwrites a key.</summary>
    Set,

    /// <summary>Appends to a key's value (absent counts as empty).</summary>
    Append,

    /// <summary>Compare-and-set: writes <see cref="KvInput.Value"/> iff the current value equals
    /// <see cref="KvInput.Expected"/> (null means "absent").</summary>
    Cas,
}

/// <summary>One key-value operation as a client issued it.</summary>
public readonly record struct KvInput(KvOpKind Kind, string Key, string? Value = null, string? Expected = null)
{
    /// <summary>A get of <paramref name="key"/>.</summary>
    public static KvInput Get(string key) => new(KvOpKind.Get, key);

    /// <summary>A set of <paramref name="key"/> to <paramref name="value"/>.</summary>
    public static KvInput Set(string key, string value) => new(KvOpKind.Set, key, value);

    /// <summary>An append of <paramref name="value"/> to <paramref name="key"/>.</summary>
    public static KvInput Append(string key, string value) => new(KvOpKind.Append, key, value);

    /// <summary>A compare-and-set of <paramref name="key"/> from <paramref name="expected"/> (null: absent) to <paramref name="value"/>.</summary>
    public static KvInput Cas(string key, string? expected, string value) => new(KvOpKind.Cas, key, value, expected);

    /// <summary>The operation as failure reports show it, e.g. <c>set(k, "v")</c>.</summary>
    public override string ToString() => Kind switch
    {
        KvOpKind.Get => $"get({Key})",
        KvOpKind.Set => $"set({Key}, {Quote(Value)})",
        KvOpKind.Append => $"append({Key}, {Quote(Value)})",
        _ => $"cas({Key}, {Quote(Expected)} -> {Quote(Value)})",
    };

    internal static string Quote(string? value) => value is null ? "absent" : $"\"{value}\"";
}

/// <summary>What a client saw: the value a get read, whether a cas succeeded. Set and append return nothing.</summary>
public readonly record struct KvOutput(string? Value = null, bool Succeeded = false)
{
    /// <summary>What a completed set or append returns.</summary>
    public static readonly KvOutput Done = new(null, true);

    /// <summary>A get that returned <paramref name="value"/> (null: the key was absent).</summary>
    public static KvOutput Read(string? value) => new(value, true);

    /// <summary>A compare-and-set that swapped (<paramref name="succeeded"/>) or did not.</summary>
    public static KvOutput CasResult(bool succeeded) => new(null, succeeded);
}
