namespace OrleansRaft.Testing.Linearizability;

/// <summary>What the search concluded about a history.</summary>
public enum CheckOutcome
{
    /// <summary>Some order of the operations, each at an instant between its call and return, explains every output.</summary>
    Linearizable,

    /// <summary>No such order exists: the system returned something no sequential execution could have.</summary>
    NotLinearizable,

    /// <summary>The search ran out of its step budget before reaching a verdict.</summary>
    Unknown,
}

/// <summary>The checker's verdict. When the history is not linearizable, <see cref="Partition"/> names the first
/// partition (key) that is not, and <see cref="Explanation"/> shows its operations and how far the search got.</summary>
public sealed record CheckResult(CheckOutcome Outcome, string? Partition, string Explanation)
{
    /// <summary>The verdict for a linearizable history.</summary>
    public static readonly CheckResult Ok = new(CheckOutcome.Linearizable, null, "linearizable");

    /// <summary>Whether the verdict is <see cref="CheckOutcome.Linearizable"/> (Unknown is not).</summary>
    public bool IsLinearizable => Outcome == CheckOutcome.Linearizable;

    /// <summary>The verdict with, when it is not linearizable, the partition and the explanation: made for an assertion message.</summary>
    public override string ToString() => Outcome == CheckOutcome.Linearizable
        ? Explanation
        : $"{Outcome} on partition '{Partition}':{Environment.NewLine}{Explanation}";
}
