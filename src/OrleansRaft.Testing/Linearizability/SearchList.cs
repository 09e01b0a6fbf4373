namespace OrleansRaft.Testing.Linearizability;

/// <summary>A call or return event of one operation, in a doubly linked list ordered by time.</summary>
internal sealed class SearchEntry(int id, long time, bool isCall)
{
    public int Id { get; } = id;

    public long Time { get; } = time;

    public bool IsCall { get; } = isCall;

    /// <summary>For a call, the return entry of the same operation; null for a return.</summary>
    public SearchEntry? Match { get; set; }

    public SearchEntry? Prev { get; set; }

    public SearchEntry? Next { get; set; }
}

/// <summary>
/// The event list of Wing and Gong's search. Linearizing an operation "lifts" its call and return out of the
/// list; backtracking puts them back exactly where they were, which a doubly linked list does in O(1).
/// </summary>
internal static class SearchList
{
    /// <summary>Builds the list for operations given as (call, return) times; returns its sentinel head.</summary>
    public static SearchEntry Build(IReadOnlyList<(long Call, long Return)> ops)
    {
        var entries = new List<SearchEntry>(ops.Count * 2);
        for (var id = 0; id < ops.Count; id++)
        {
            var call = new SearchEntry(id, ops[id].Call, isCall: true);
            var ret = new SearchEntry(id, ops[id].Return, isCall: false);
            call.Match = ret;
            entries.Add(call);
            entries.Add(ret);
        }
        // At equal times, calls go first: the two operations are then treated as concurrent, the
        // permissive reading of a clock that cannot tell them apart.
        entries.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time)
            : a.IsCall != b.IsCall ? (a.IsCall ? -1 : 1)
            : a.Id.CompareTo(b.Id));

        var head = new SearchEntry(-1, long.MinValue, isCall: false);
        var last = head;
        foreach (var entry in entries)
        {
            last.Next = entry;
            entry.Prev = last;
            last = entry;
        }
        return head;
    }

    public static void Lift(SearchEntry call)
    {
        Unlink(call);
        Unlink(call.Match!);
    }

    public static void Unlift(SearchEntry call)
    {
        Relink(call.Match!);
        Relink(call);
    }

    private static void Unlink(SearchEntry entry)
    {
        entry.Prev!.Next = entry.Next;
        if (entry.Next is not null) entry.Next.Prev = entry.Prev;
    }

    private static void Relink(SearchEntry entry)
    {
        entry.Prev!.Next = entry;
        if (entry.Next is not null) entry.Next.Prev = entry;
    }
}
