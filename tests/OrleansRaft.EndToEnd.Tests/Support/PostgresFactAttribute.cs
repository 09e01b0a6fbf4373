namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>A test that needs PostgreSQL, reached through the connection string in <c>ORLEANSRAFT_TEST_POSTGRES</c>
/// (<c>.ci/run</c> starts a throwaway server and sets it). Outside CI, without it, the test is skipped and says why;
/// in CI (<c>CI=true</c>) it always runs, so a broken setup fails loudly. (The same rule as the cluster tests'.)</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "ORLEANSRAFT_TEST_POSTGRES";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable);

    public PostgresFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(ConnectionString) && !inCi)
            Skip = $"PostgreSQL not configured: set {Variable} to a connection string (\".ci/run\" does this) to run it.";
    }
}
