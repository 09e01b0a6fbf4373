using Microsoft.Data.Sqlite;

namespace OrleansRaft.Silo;

/// <summary>
/// Retires the rows of the shared SQLite membership file that still call one of the launcher's own silo endpoints
/// alive. Only the launcher's children use that file, and the launcher starts only once nothing listens on those
/// endpoints, so such a row is an incarnation that died without saying so (SIGKILL, power loss). Left Active, it
/// holds every joining silo back: Orleans checks connectivity with every recently alive Active row before it lets a
/// silo join, and waits 5 s after each failed check until the dead row's successor retires it. After a crash of every
/// silo that took 10 to 45 s before the group could serve.
/// </summary>
internal static class StaleMembership
{
    private const int Dead = 6; // Orleans' SiloStatus.Dead

    /// <returns>How many rows were retired.</returns>
    public static int Retire(string membershipFile, string clusterId, string address, IReadOnlyCollection<int> siloPorts)
    {
        if (!File.Exists(membershipFile) || siloPorts.Count == 0) return 0;
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = membershipFile, Pooling = false }.ToString());
        connection.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var retire = connection.CreateCommand();
        retire.Transaction = transaction;
        retire.CommandText = $"""
            UPDATE OrleansMembershipTable SET Status = {Dead}
            WHERE DeploymentId = $cluster AND Address = $address AND Status <> {Dead} AND Port IN ({string.Join(", ", siloPorts.Select(p => p.ToString()))})
            """;
        retire.Parameters.AddWithValue("$cluster", clusterId);
        retire.Parameters.AddWithValue("$address", address);
        var retired = retire.ExecuteNonQuery();
        if (retired > 0)
        {
            // The version row is the table's ETag: silos that read the table see that it changed.
            using var version = connection.CreateCommand();
            version.Transaction = transaction;
            version.CommandText = "UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE DeploymentId = $cluster";
            version.Parameters.AddWithValue("$cluster", clusterId);
            version.ExecuteNonQuery();
        }
        transaction.Commit();
        return retired;
    }
}
