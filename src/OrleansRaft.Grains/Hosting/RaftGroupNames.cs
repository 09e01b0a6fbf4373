namespace OrleansRaft.Hosting;

/// <summary>What a group name may look like: it becomes part of grain keys and storage rows.</summary>
public static class RaftGroupNames
{
    public const string Rule = "1 to 64 characters from [A-Za-z0-9_.-]";

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
