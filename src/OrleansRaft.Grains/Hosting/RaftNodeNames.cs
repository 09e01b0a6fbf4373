namespace OrleansRaft.Hosting;

/// <summary>What a node name may look like: it is the silo's name in the membership table and part of every peer's
/// identity record.</summary>
public static class RaftNodeNames
{
    public const string Rule = "1 to 64 characters from [A-Za-z0-9_.-]";

    public static bool IsValid(string? name) => RaftGroupNames.IsValid(name);
}
