using OrleansRaft.Testing.Postgres;

namespace OrleansRaft.Cluster.Tests;

/// <summary>A test that needs PostgreSQL (<see cref="TestPostgres"/>): skipped, saying why, where there is none.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = TestPostgres.Variable;

    public static string? ConnectionString => TestPostgres.ConnectionString;

    public PostgresFactAttribute() => Skip = TestPostgres.SkipReason;
}
