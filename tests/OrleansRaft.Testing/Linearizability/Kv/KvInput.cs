namespace OrleansRaft.Testing.Linearizability.Kv;

public enum KvOpKind : byte
{
    Get,
    Set,
    Append,

    /// <summary>Compare-and-set: writes <see cref="KvInput.Value"/> iff the current value equals
    /// <see cref="KvInput.Expected"/> (null means "absent").</summary>
    Cas,
}

/// <summary>One key-value operation as a client issued it.</summary>
public readonly record struct KvInput(KvOpKind Kind, string Key, string? Value = null, string? Expected = null)
{
    public static KvInput Get(string key) => new(KvOpKind.Get, key);

    public static KvInput Set(string key, string value) => new(KvOpKind.Set, key, value);

    public static KvInput Append(string key, string value) => new(KvOpKind.Append, key, value);

    public static KvInput Cas(string key, string? expected, string value) => new(KvOpKind.Cas, key, value, expected);

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
    public static readonly KvOutput Done = new(null, true);

    public static KvOutput Read(string? value) => new(value, true);

    public static KvOutput CasResult(bool succeeded) => new(null, succeeded);
}
