namespace OrleansRaft.Testing.Linearizability.Kv;

/// <summary>
/// The sequential specification of a string key-value store with get, set, append and compare-and-set.
/// Each key is an independent object (one partition per key); its state is the value, null when absent.
/// </summary>
public sealed class KvModel : IModel<string?, KvInput, KvOutput>
{
    /// <summary>The model (it has no state of its own).</summary>
    public static readonly KvModel Instance = new();

    /// <inheritdoc/>
    public string? Init => null;

    /// <inheritdoc/>
    public string Partition(KvInput input) => input.Key;

    /// <inheritdoc/>
    public bool IsReadOnly(KvInput input) => input.Kind == KvOpKind.Get;

    /// <inheritdoc/>
    public bool Step(string? state, KvInput input, KvOutput output, bool completed, out string? next)
    {
        switch (input.Kind)
        {
            case KvOpKind.Get:
                next = state;
                return !completed || output.Value == state;
            case KvOpKind.Set:
                next = input.Value;
                return true;
            case KvOpKind.Append:
                next = (state ?? "") + input.Value;
                return true;
            case KvOpKind.Cas:
                var succeeds = state == input.Expected;
                next = succeeds ? input.Value : state;
                return !completed || output.Succeeded == succeeds;
            default:
                throw new ArgumentOutOfRangeException(nameof(input), input.Kind, "Unknown KV operation.");
        }
    }

    /// <inheritdoc/>
    public string Describe(KvInput input, KvOutput output, bool completed)
    {
        if (!completed) return $"{input} -> ?";
        return input.Kind switch
        {
            KvOpKind.Get => $"{input} -> {KvInput.Quote(output.Value)}",
            KvOpKind.Cas => $"{input} -> {(output.Succeeded ? "ok" : "failed")}",
            _ => $"{input} -> ok",
        };
    }

    /// <inheritdoc/>
    public string DescribeState(string? state) => KvInput.Quote(state);
}
