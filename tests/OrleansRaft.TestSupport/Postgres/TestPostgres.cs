namespace OrleansRaft.Testing.Postgres;

/// <summary>The PostgreSQL server tests may use: the connection string in <c>ORLEANSRAFT_TEST_POSTGRES</c>
/// (<c>.ci/run</c> starts a throwaway server and sets it). Outside CI, without it, a test that needs it is skipped and
/// says why; in CI (<c>CI=true</c>) it always runs, so a broken setup fails loudly.</summary>
public static class TestPostgres
{
    public const string Variable = "ORLEANSRAFT_TEST_POSTGRES";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable);

    /// <summary>Why a test that needs the server must be skipped here, or null when it runs.</summary>
    public static string? SkipReason
    {
        get
        {
            var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
            return string.IsNullOrWhiteSpace(ConnectionString) && !inCi
                ? $"PostgreSQL not configured: set {Variable} to a connection string (\".ci/run\" does this) to run it."
                : null;
        }
    }
}
