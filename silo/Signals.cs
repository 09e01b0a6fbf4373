using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OrleansRaft.Silo;

/// <summary>Asks a child to shut down gracefully. .NET's Process.Kill is SIGKILL; a silo should get SIGTERM,
/// which the generic host turns into an orderly stop (leaving the cluster, closing storage).</summary>
internal static class Signals
{
    private const int SigTerm = 15;

    public static void Terminate(Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            process.Kill(entireProcessTree: true);
            return;
        }
        _ = Kill(process.Id, SigTerm);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
