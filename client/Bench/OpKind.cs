namespace OrleansRaft.Cli.Bench;

/// <summary>The operations a benchmark mixes. The values index per-kind arrays, so they stay 0, 1, 2.</summary>
internal enum OpKind
{
    Set = 0,
    Get = 1,
    Cas = 2,
}

internal static class OpKinds
{
    public const int Count = 3;

    public static readonly OpKind[] All = [OpKind.Set, OpKind.Get, OpKind.Cas];

    /// <summary>The name used in options, tables and JSON.</summary>
    public static string Name(OpKind kind) => kind switch
    {
        OpKind.Set => "set",
        OpKind.Get => "get",
        OpKind.Cas => "cas",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool IsWrite(OpKind kind) => kind != OpKind.Get;
}
