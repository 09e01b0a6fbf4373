using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>
/// The silo processes of one cluster, whoever started them: first the launcher's children, then the silos this
/// class restarted itself (<c>dotnet orleansraft-silo.dll run --index N --data DIR/nodeN</c>, the launcher's node N
/// restarted by hand). Kills with SIGKILL, freezes with SIGSTOP and thaws with SIGCONT.
/// Disposing thaws every frozen silo and kills every silo it restarted; the launcher's own children are left to
/// the cluster's disposal.
/// </summary>
/// <param name="extraSilos">Silos beyond the launcher's, numbered on from it (node3, node4, ...): down until started
/// with <see cref="RestartAsync"/>, which runs them as a user adds a node to the machine (<c>silo run --index N</c>).</param>
internal sealed class SiloControl(ClusterProcess cluster, int extraSilos = 0) : IAsyncDisposable
{
    private static readonly TimeSpan UpLimit = TimeSpan.FromSeconds(90);

    private readonly Process?[] _restarted = new Process?[cluster.Silos + extraSilos];
    private readonly bool[] _down = [.. Enumerable.Range(0, cluster.Silos + extraSilos).Select(i => i >= cluster.Silos)];
    private readonly bool[] _paused = new bool[cluster.Silos + extraSilos];
    private int _restarts;

    public int Count => cluster.Silos + extraSilos;

    /// <summary>SIGTERM, as a deploy stops a silo: it hands over its leaderships and shuts down. Returns once it exited.</summary>
    public async Task StopAsync(int index)
    {
        if (_paused[index]) throw new InvalidOperationException($"node{index} is paused; resume it first");
        var pid = Pid(index);
        cluster.Note($"kill -TERM node{index} (pid {pid})");
        var from = cluster.Log.Count;
        PosixSignals.Send(pid, PosixSignals.SigTerm);
        if (_restarted[index] is { } process)
        {
            using var limit = new CancellationTokenSource(UpLimit);
            await process.WaitForExitAsync(limit.Token);
            process.Dispose();
            _restarted[index] = null;
        }
        else
        {
            await cluster.Log.WaitForAsync(new Regex($@"^\[cluster\] node{index} exited with code"), from, UpLimit);
        }
        _down[index] = true;
    }

    /// <summary>The data directory of node <paramref name="index"/>, where <see cref="RestartAsync"/> runs it.</summary>
    public string DataDirectory(int index) => Path.Combine(cluster.DataDirectory, $"node{index}");

    public bool IsDown(int index) => _down[index];

    public bool IsPaused(int index) => _paused[index];

    public int Pid(int index) => _down[index]
        ? throw new InvalidOperationException($"node{index} is down")
        : _restarted[index]?.Id ?? cluster.SiloPids[index];

    /// <summary>SIGKILL: no shutdown, no flush, a crash. Returns once the process is gone.</summary>
    public async Task KillAsync(int index)
    {
        if (_paused[index]) throw new InvalidOperationException($"node{index} is paused; resume it first");
        if (_restarted[index] is { } process)
        {
            cluster.Note($"kill -9 node{index} (pid {process.Id})");
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
            _restarted[index] = null;
        }
        else
        {
            await cluster.KillSiloAsync(index);
        }
        _down[index] = true;
    }

    public void Pause(int index)
    {
        var pid = Pid(index);
        cluster.Note($"kill -STOP node{index} (pid {pid})");
        PosixSignals.Send(pid, PosixSignals.SigStop);
        _paused[index] = true;
    }

    public void Resume(int index)
    {
        var pid = Pid(index);
        cluster.Note($"kill -CONT node{index} (pid {pid})");
        PosixSignals.Send(pid, PosixSignals.SigCont);
        _paused[index] = false;
    }

    /// <summary>Starts a killed silo again on the same data and returns once it printed that it is up.</summary>
    public async Task RestartAsync(int index)
    {
        if (!_down[index]) throw new InvalidOperationException($"node{index} is not down");
        var name = $"node{index}.r{++_restarts}";
        var start = new ProcessStartInfo(BuiltPrograms.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // As a user restarts node N of the launcher's cluster: the defaults name it nodeN and put the membership
        // file in the parent of its data directory; never --bootstrap, the group exists.
        var data = DataDirectory(index);
        foreach (var arg in new[] { BuiltPrograms.Silo, "run", "--index", Number(index), "--data", data })
            start.ArgumentList.Add(arg);
        var from = cluster.Log.Count;
        cluster.Note($"restarting node{index} as [{name}]: dotnet {string.Join(' ', start.ArgumentList)}");
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) cluster.Log.Add($"[{name}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) cluster.Log.Add($"[{name}] {e.Data}"); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _restarted[index] = process;
        _down[index] = false;
        var up = new Regex($@"^\[{Regex.Escape(name)}\] node node{index} up:");
        await cluster.Log.WaitForAsync(up, from, UpLimit, process.WaitForExitAsync());
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < Count; i++)
        {
            if (!_paused[i]) continue;
            try
            {
                Resume(i);
            }
            catch (InvalidOperationException)
            {
                // Gone already.
            }
        }
        for (var i = 0; i < Count; i++)
        {
            if (_restarted[i] is not { } process) continue;
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            await process.WaitForExitAsync();
            process.Dispose();
            _restarted[i] = null;
            _down[i] = true;
            cluster.Note($"killed restarted node{i}");
        }
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
