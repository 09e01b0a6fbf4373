using OrleansRaft.Client;

namespace OrleansRaft.Cli.Operations;

internal enum KvVerb
{
    Get,
    Set,
    Delete,
    CompareAndSet,
    Append,
}

/// <summary>
/// One KV request, the same whether it came from the command line or from a shell line.
/// For <see cref="KvVerb.CompareAndSet"/>, a null <see cref="Expected"/> means "only if absent".
/// </summary>
internal sealed record KvOperation(KvVerb Verb, string Key, string? Value = null, string? Expected = null, bool Stale = false)
{
    /// <summary>The library's boundary checks, run before connecting so bad input never waits for a cluster.</summary>
    public void Validate()
    {
        KvArguments.ValidateKey(Key);
        if (Verb is KvVerb.Set or KvVerb.Append or KvVerb.CompareAndSet) KvArguments.ValidateValue(Value);
        if (Expected is not null) KvArguments.ValidateValue(Expected, "expected");
    }
}
