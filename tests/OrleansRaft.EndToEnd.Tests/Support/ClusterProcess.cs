using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>
/// The launcher as a user runs it, <c>silo cluster --silos K --data DIR</c>, as one real process with K real silo
/// children (node0 .. node{K-1}, their data in DIR/node0 ..., the membership file in DIR). Knows what the launcher prints: the child pids, the ready line, a child's death, the final stop.
/// Disposing it kills whatever is still running (the launcher's process tree and every silo pid it printed).
/// </summary>
internal sealed partial class ClusterProcess : IAsyncDisposable
{
    private readonly Process _launcher;
    private readonly Task _exited;
    private readonly List<int> _siloPids = [];

    private ClusterProcess(Process launcher, OutputLog log, string dataDirectory, int silos)
    {
        _launcher = launcher;
        Log = log;
        DataDirectory = dataDirectory;
        Silos = silos;
        _exited = launcher.WaitForExitAsync();
    }

    public OutputLog Log { get; }

    public string DataDirectory { get; }

    public int Silos { get; }

    public int LauncherPid => _launcher.Id;

    /// <summary>The silo processes, by silo index, as the launcher printed them.</summary>
    public IReadOnlyList<int> SiloPids => _siloPids;

    /// <summary>The <c>[cluster] started ...</c> line.</summary>
    public string StartedLine { get; private set; } = "";

    /// <summary>The <c>[cluster] ready: ...</c> line.</summary>
    public string ReadyLine { get; private set; } = "";

    public bool HasExited => _launcher.HasExited;

    /// <summary>Adds a line of the test's own to the log, so that the log tells the whole story in order.</summary>
    public void Note(string text) => Log.Add($"[e2e] {DateTime.Now:HH:mm:ss.fff} {text}");

    /// <summary>Starts the launcher and returns once it printed its ready line (a leader is elected).</summary>
    public static async Task<ClusterProcess> StartAsync(string dataDirectory, string logPath, int silos = 3)
    {
        await LocalPorts.WaitUntilFreeAsync(silos, TimeSpan.FromSeconds(30));
        var start = new ProcessStartInfo(BuiltPrograms.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { BuiltPrograms.Silo, "cluster", "--silos", silos.ToString(CultureInfo.InvariantCulture), "--data", dataDirectory })
            start.ArgumentList.Add(arg);

        var log = new OutputLog(logPath);
        log.Add($"[e2e] {DateTime.Now:HH:mm:ss.fff} starting: dotnet {string.Join(' ', start.ArgumentList)}");
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Add(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var cluster = new ClusterProcess(process, log, dataDirectory, silos);
        try
        {
            await cluster.WaitUntilReadyAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        var started = await Log.WaitForAsync(StartedPattern(), 0, Deadline.ClusterReady, _exited);
        StartedLine = started.Value;
        _siloPids.AddRange(started.Groups["pids"].Value.Split(", ").Select(p => int.Parse(p, CultureInfo.InvariantCulture)));
        if (_siloPids.Count != Silos) throw new InvalidOperationException($"the launcher printed {_siloPids.Count} pids for {Silos} silos: {started.Value}");
        var ready = await Log.WaitForAsync(ReadyOrGaveUpLine(), 0, Deadline.ClusterReady, _exited);
        if (!ready.Groups["leader"].Success) throw new InvalidOperationException($"the cluster did not become ready: {ready.Value}{Environment.NewLine}{Log.Tail()}");
        ReadyLine = ready.Value;
    }

    /// <summary>SIGKILLs one silo (no shutdown, no flush: a crash) and waits until the launcher reports its death.</summary>
    public async Task KillSiloAsync(int index)
    {
        var from = Log.Count;
        Note($"kill -9 node{index} (pid {_siloPids[index]})");
        using (var silo = Process.GetProcessById(_siloPids[index])) silo.Kill(); // SIGKILL on Unix
        await Log.WaitForAsync(new Regex($@"^\[cluster\] node{index} exited with code"), from, TimeSpan.FromSeconds(30), _exited);
    }

    /// <summary>Stops the cluster as a user does with Ctrl+C and waits for the launcher to exit.</summary>
    public async Task<StopResult> StopAsync()
    {
        var signal = PosixSignals.Interrupt(_launcher.Id);
        Note($"sent signal {signal} to the launcher (pid {_launcher.Id})");
        var watch = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(Deadline.ClusterStop);
        try
        {
            await _launcher.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the launcher did not exit within {Deadline.ClusterStop.TotalSeconds:0} s of signal {signal}.{Environment.NewLine}{Log.Tail()}");
        }
        var survivors = _siloPids.Where(IsOurSiloAlive).ToArray();
        return new StopResult(signal, _launcher.ExitCode, watch.Elapsed, survivors);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_launcher.HasExited) _launcher.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
        // Children whose launcher died first were reparented: the tree walk above cannot see them.
        foreach (var pid in _siloPids.Where(IsOurSiloAlive)) TryKill(pid);
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _launcher.WaitForExitAsync(deadline.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
        }
        _launcher.Dispose();
        Note("disposed");
        Log.Dispose();
    }

    /// <summary>Whether <paramref name="pid"/> still runs one of our silos: a check on the command line guards
    /// against killing an unrelated process that got a recycled pid.</summary>
    private bool IsOurSiloAlive(int pid)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Contains(DataDirectory, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void TryKill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
        }
    }

    [GeneratedRegex(@"^\[cluster\] started \d+ silos \(pids (?<pids>[\d, ]+)\).*")]
    private static partial Regex StartedPattern();

    [GeneratedRegex(@"^\[cluster\] (ready: group '(?<group>[^']+)' leader (?<leader>\S+) \(term (?<term>\d+)\); gateways (?<gateways>(127\.0\.0\.1:\d+,?)+)|no leader after).*")]
    private static partial Regex ReadyOrGaveUpLine();
}

/// <summary>How a graceful stop went: the signal sent, the launcher's exit code, and silos still alive after it.</summary>
internal sealed record StopResult(int Signal, int ExitCode, TimeSpan Elapsed, IReadOnlyList<int> SurvivingSiloPids);
