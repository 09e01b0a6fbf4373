namespace OrleansRaft.Silo;

/// <summary>
/// The file in <c>silo cluster</c>'s data root that says the group was bootstrapped there: written the first time the
/// launcher saw every peer answer (each one then has its storage and identity record). Until it exists the launcher
/// starts its nodes with <c>--bootstrap</c>; once it exists, never again. It sits in the root, not in a node's own
/// directory, so that wiping one node's directory does not make that node a new peer: its peer refuses to start, as a
/// peer that lost what it voted and acknowledged must.
/// </summary>
internal sealed class BootstrapMarker(string root)
{
    public const string FileName = "bootstrapped";

    public string Path { get; } = System.IO.Path.Combine(root, FileName);

    public bool Exists => File.Exists(Path);

    public void Write(string group, IReadOnlyList<string> nodes)
    {
        var text = $"""
            Raft group '{group}' was bootstrapped here on nodes {string.Join(",", nodes)} ({DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z).
            From now on 'silo cluster' starts its nodes without --bootstrap: a node whose directory is lost refuses to
            start instead of rejoining as a peer that never voted. Delete this file only together with every node's
            directory, to start a new, empty group.

            """;
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, Path, overwrite: true);
    }
}
