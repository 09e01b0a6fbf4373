namespace OrleansRaft.Testing.Linearizability;

public enum CheckOutcome
{
    Linearizable,
    NotLinearizable,

    /// <summary>The search ran out of its step budget before reaching a verdict.</summary>
    Unknown,
}

/// <summary>The checker's verdict. When the history is not linearizable, <see cref="Partition"/> names the first
/// partition (key) that is not, and <see cref="Explanation"/> shows its operations and how far the search got.</summary>
public sealed record CheckResult(CheckOutcome Outcome, string? Partition, string Explanation)
{
    public static readonly CheckResult Ok = new(CheckOutcome.Linearizable, null, "linearizable");

    public bool IsLinearizable => Outcome == CheckOutcome.Linearizable;

    public override string ToString() => Outcome == CheckOutcome.Linearizable
        ? Explanation
        : $"{Outcome} on partition '{Partition}':{Environment.NewLine}{Explanation}";
}
