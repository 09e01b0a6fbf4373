using System.Diagnostics;
using System.Reflection;
using OrleansRaft.Hosting;

namespace OrleansRaft.Silo;

/// <summary>One silo process of <c>silo cluster</c>: node{index}. Its output goes to the launcher's, each line
/// prefixed with <c>[node{index}]</c>; the last line it wrote to stderr is kept to say why it ended.</summary>
internal sealed class ClusterChild
{
    private readonly Process _process;
    private string? _lastError;

    private ClusterChild(int index, Process process)
    {
        Index = index;
        Node = RaftGroupOptions.DefaultNodeName(index);
        _process = process;
        Exited = process.WaitForExitAsync();
    }

    public int Index { get; }

    public string Node { get; }

    public int Pid => _process.Id;

    /// <summary>Completes once the process exited and its output was read to the end.</summary>
    public Task Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    public static ClusterChild Start(SiloArguments args, int index, bool bootstrap)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Run this same program again: the apphost when we were started through it, else `dotnet this.dll`.
        var self = Environment.ProcessPath ?? "dotnet";
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var argument in args.ForChild(index, bootstrap)) start.ArgumentList.Add(argument);

        var process = new Process { StartInfo = start };
        var prefix = $"[{RaftGroupOptions.DefaultNodeName(index)}] ";
        ClusterChild? child = null;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine(prefix + e.Data); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (child is not null && e.Data.Trim().Length > 0) child._lastError = e.Data;
            Console.Error.WriteLine(prefix + e.Data);
        };
        if (!process.Start()) throw new InvalidOperationException($"could not start {prefix.Trim()}");
        child = new ClusterChild(index, process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>"code 1 (silo: node node0 could not start: ...)", "code 137 (killed by signal 9)".</summary>
    public string ExitDescription()
    {
        var code = _process.ExitCode;
        var why = _lastError ?? (code > 128 && !OperatingSystem.IsWindows() ? $"killed by signal {code - 128}" : null);
        return why is null ? $"code {code}" : $"code {code} ({why})";
    }

    /// <summary>SIGTERM: the child stops gracefully.</summary>
    public void Terminate()
    {
        if (!HasExited) Signals.Terminate(_process);
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }
}
