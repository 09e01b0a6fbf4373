namespace OrleansRaft.Core.Tests.Lab;

/// <summary>Each lab test runs one fixed scenario, seeded from its name; <c>RAFT_LAB_SEED=n</c> shifts every
/// test to another deterministic scenario (for soaks).</summary>
internal static class LabSeed
{
    public static int For(string test)
    {
        var hash = 2166136261u;
        foreach (var c in test) hash = (hash ^ c) * 16777619u;
        var shift = Environment.GetEnvironmentVariable("RAFT_LAB_SEED") is { Length: > 0 } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (int)(hash & 0x7FFFFFFF) ^ shift;
    }

    public static LabConfig Config(int servers, bool unreliable, bool snapshot = false, [System.Runtime.CompilerServices.CallerMemberName] string test = "") =>
        new(servers, unreliable, For(test), snapshot);
}
