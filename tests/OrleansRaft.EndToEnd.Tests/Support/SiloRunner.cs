namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>Runs the silo program directly (<c>dotnet orleansraft-silo.dll ARGS</c>) for commands that end on their own.</summary>
internal static class SiloRunner
{
    public static Task<CliResult> RunAsync(params string[] args) => CliRunner.RunProgramAsync("silo", BuiltPrograms.Silo, args, stdin: null);
}
