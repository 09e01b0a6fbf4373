using System.Runtime.InteropServices;

namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>
/// Signals as a terminal or an operator sends them. .NET's <c>Process.Kill</c> is SIGKILL; stopping the launcher
/// the way a user does (Ctrl+C) needs SIGINT, which only <c>kill(2)</c> sends.
/// </summary>
internal static class PosixSignals
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    /// <summary>Freezes a process where it stands, as a long GC pause or a stalled VM would; it cannot be caught.</summary>
    public static int SigStop => OperatingSystem.IsMacOS() ? 17 : 19;

    /// <summary>Resumes a process frozen by <see cref="SigStop"/>.</summary>
    public static int SigCont => OperatingSystem.IsMacOS() ? 19 : 18;

    /// <summary>
    /// SIGINT, as Ctrl+C does; SIGTERM instead if the process ignores SIGINT. A program started in the background
    /// by a non-interactive shell inherits "ignore SIGINT" (and so do its children, across exec), and .NET keeps
    /// that disposition: there SIGINT would do nothing and SIGTERM, the service manager's stop, is what remains.
    /// </summary>
    public static int Interrupt(int pid)
    {
        var signal = IgnoresSigInt(pid) ? SigTerm : SigInt;
        Send(pid, signal);
        return signal;
    }

    public static void Send(int pid, int signal)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            throw new PlatformNotSupportedException("the end-to-end tests send POSIX signals; run them on Linux or macOS");
        if (Kill(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Reads the ignored-signal mask (SigIgn, hexadecimal, bit n-1 for signal n) from /proc.</summary>
    private static bool IgnoresSigInt(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status)) return false;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        if (line is null) return false;
        var mask = Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
        return (mask & (1UL << (SigInt - 1))) != 0;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
