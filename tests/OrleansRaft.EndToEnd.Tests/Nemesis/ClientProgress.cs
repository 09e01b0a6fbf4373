namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>Waits for the clients to get operations acknowledged: the run is making progress, not just surviving.</summary>
internal static class ClientProgress
{
    public static IReadOnlyList<int> Snapshot(IReadOnlyList<NemesisClient> clients) => clients.Select(c => c.Acknowledged).ToArray();

    /// <summary>
    /// Until every client has <paramref name="count"/> more acknowledged operations than in <paramref name="from"/>;
    /// returns null then, or what is missing after <paramref name="limit"/>. Rethrows the failure of a client that stopped.
    /// </summary>
    public static async Task<string?> WaitAsync(IReadOnlyList<NemesisClient> clients, IReadOnlyList<Task> running, IReadOnlyList<int> from, int count, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (clients.Any(c => c.Acknowledged < from[c.Id] + count))
        {
            if (running.FirstOrDefault(t => t.IsCompleted) is { } stopped) await stopped;
            if (DateTime.UtcNow > until)
            {
                var behind = clients.Select(c => $"client {c.Id}: {c.Acknowledged - from[c.Id]}");
                return $"not every client got {count} operations acknowledged within {limit.TotalSeconds:0} s ({string.Join(", ", behind)})";
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
        return null;
    }
}
