using System.Diagnostics;
using System.Threading.Channels;
using OrleansRaft.EndToEnd.Tests.Support;

namespace OrleansRaft.EndToEnd.Tests.Nemesis;

/// <summary>
/// One long-lived <c>client shell</c> process driven line by line: a command goes to its standard input, its one
/// answer line comes back from standard output. Standard error goes to <paramref name="log"/>. Disposing kills it
/// if it still runs.
/// </summary>
internal sealed class ShellProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _answers = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _stdoutPump;

    private ShellProcess(Process process, string name, Action<string> log)
    {
        _process = process;
        Name = name;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log($"[{name}] stderr: {e.Data}"); };
        _process.BeginErrorReadLine();
        _stdoutPump = Task.Run(PumpStdoutAsync);
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ShellProcess Start(string name, IReadOnlyList<string> options, Action<string> log)
    {
        var start = new ProcessStartInfo(BuiltPrograms.DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuiltPrograms.Cli);
        foreach (var option in options) start.ArgumentList.Add(option);
        start.ArgumentList.Add("shell");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        process.StandardInput.AutoFlush = true;
        log($"[{name}] started: pid {process.Id}, client {string.Join(' ', options)} shell");
        return new ShellProcess(process, name, log);
    }

    /// <summary>
    /// Sends one command and returns its answer line; null if the shell ended (it exited or closed its output)
    /// first. Throws <see cref="TimeoutException"/> if no answer came within <paramref name="limit"/>.
    /// </summary>
    public async Task<string?> AskAsync(string command, TimeSpan limit)
    {
        try
        {
            await _process.StandardInput.WriteLineAsync(command);
        }
        catch (IOException)
        {
            return null; // the pipe is closed: the shell is gone
        }
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            return await _answers.Reader.WaitToReadAsync(deadline.Token) && _answers.Reader.TryRead(out var line) ? line : null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} (pid {Pid}) did not answer '{command}' within {limit.TotalSeconds:0} s");
        }
    }

    /// <summary>Ends the session as a script does (end of input) and waits for a clean exit; returns the exit code,
    /// or null if it had to be killed.</summary>
    public async Task<int?> CloseAsync(TimeSpan grace)
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        using var deadline = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            return null;
        }
    }

    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
        await _process.WaitForExitAsync();
    }

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line) await _answers.Writer.WriteAsync(line);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
        finally
        {
            _answers.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        await _stdoutPump;
        _process.Dispose();
    }
}
