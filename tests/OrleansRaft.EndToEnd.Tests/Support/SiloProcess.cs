using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>
/// One <c>silo run</c> process, started the way a user starts it on a machine: <c>dotnet orleansraft-silo.dll run
/// ARGS</c>. Its output goes to a shared <see cref="OutputLog"/>, each line prefixed with <c>[name]</c>. Disposal kills
/// it if it still runs.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan UpLimit = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly OutputLog _log;
    private readonly int _from;

    private SiloProcess(string name, string node, Process process, OutputLog log, int from)
    {
        Name = name;
        Node = node;
        _process = process;
        _log = log;
        _from = from;
        Exited = process.WaitForExitAsync();
    }

    /// <summary>The prefix of its lines in the log, like <c>node1</c> or <c>node1.r2</c> for a restart.</summary>
    public string Name { get; }

    public string Node { get; }

    public int Pid => _process.Id;

    public Task Exited { get; }

    public int ExitCode => _process.ExitCode;

    public static SiloProcess Start(string name, string node, IReadOnlyList<string> args, OutputLog log)
    {
        var start = new ProcessStartInfo(BuiltPrograms.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuiltPrograms.Silo);
        start.ArgumentList.Add("run");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var from = log.Count;
        log.Add($"[e2e] {DateTime.Now:HH:mm:ss.fff} starting [{name}]: silo run {string.Join(' ', args.Select(Quote))}");
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Add($"[{name}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Add($"[{name}] {e.Data}"); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(name, node, process, log, from);
    }

    /// <summary>Returns once the silo printed <c>node NAME up:</c>; throws if it exits first or takes too long.</summary>
    public async Task WaitUpAsync() =>
        await _log.WaitForAsync(new Regex($@"^\[{Regex.Escape(Name)}\] node {Regex.Escape(Node)} up:"), _from, UpLimit, Exited);

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        try
        {
            await Exited.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"[{Name}] did not exit within {limit.TotalSeconds:0} s.{Environment.NewLine}{_log.Tail()}");
        }
        return _process.ExitCode;
    }

    /// <summary>The lines it printed (without its prefix).</summary>
    public IReadOnlyList<string> Lines() =>
        [.. _log.Snapshot().Skip(_from).Where(l => l.StartsWith($"[{Name}] ", StringComparison.Ordinal)).Select(l => l[(Name.Length + 3)..])];

    /// <summary>SIGKILL: no shutdown, no flush, a crash. Returns once the process is gone.</summary>
    public async Task KillAsync()
    {
        _log.Add($"[e2e] {DateTime.Now:HH:mm:ss.fff} kill -9 [{Name}] (pid {Pid})");
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Exited already.
        }
        await Exited;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Exited.IsCompleted) await KillAsync();
        _process.Dispose();
    }

    private static string Quote(string arg) => arg.Contains(' ') || arg.Contains(';') ? $"\"{arg}\"" : arg;
}
