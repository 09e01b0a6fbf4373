using System.Reflection;

namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>
/// Where the build put the programs under test. The project file asks MSBuild for the exact output path of
/// each referenced program (same configuration and target framework as this assembly) and bakes it into an
/// <see cref="AssemblyMetadataAttribute"/>, so no path is guessed from folder names.
/// </summary>
internal static class BuiltPrograms
{
    public static string Silo { get; } = Find("Silo");

    public static string Cli { get; } = Find("Cli");

    /// <summary>The <c>dotnet</c> host that runs the program dlls: the one running these tests when known.</summary>
    public static string DotnetHost { get; } = FindDotnetHost();

    private static string Find(string program)
    {
        var key = $"EndToEnd.Program.{program}";
        var path = typeof(BuiltPrograms).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == key)?.Value
            ?? throw new InvalidOperationException($"this test assembly carries no '{key}' metadata; build it with its project file");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"the {program} program is not built at {path}; run 'dotnet test' (it builds it) or 'dotnet build'", path);
    }

    private static string FindDotnetHost()
    {
        // The dotnet CLI tells the processes it starts where it lives; the test host itself runs under it too.
        var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromCli) && File.Exists(fromCli)) return fromCli;
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }
}
