using System.Reflection;

namespace OrleansRaft.Hosting.Sql;

/// <summary>The schema scripts shipped inside this assembly (the Orleans packages carry none). Each is
/// idempotent: running it on every start creates what is missing and changes nothing else.</summary>
internal static class SqlScripts
{
    public const string SqlitePersistence = "SQLite-Persistence.sql";
    public const string SqliteClustering = "SQLite-Clustering.sql";
    public const string PostgresPersistence = "PostgreSQL-Persistence.sql";
    public const string PostgresClustering = "PostgreSQL-Clustering.sql";

    public static string Read(string name)
    {
        using var stream = typeof(SqlScripts).Assembly.GetManifestResourceStream($"OrleansRaft.Sql.{name}")
            ?? throw new InvalidOperationException($"The SQL script {name} is missing from {typeof(SqlScripts).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
