namespace OrleansRaft.Core.Tracking;

internal enum VoteResult : byte { Pending, Won, Lost }

/// <summary>Majority arithmetic for a group of voters.</summary>
internal static class Quorum
{
    public static int Majority(int voters) => voters / 2 + 1;

    /// <summary>The largest value that a majority of <paramref name="values"/> is at or above
    /// (for match indexes: the highest index replicated on a majority). Sorts the span in place.</summary>
    public static long MajorityValue(Span<long> values)
    {
        values.Sort();
        return values[values.Length - Majority(values.Length)];
    }

    public static VoteResult Tally(int voters, int granted, int rejected)
    {
        var majority = Majority(voters);
        if (granted >= majority) return VoteResult.Won;
        if (rejected >= majority) return VoteResult.Lost;
        return VoteResult.Pending;
    }
}
