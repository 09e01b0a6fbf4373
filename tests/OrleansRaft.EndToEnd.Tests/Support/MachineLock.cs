namespace OrleansRaft.EndToEnd.Tests.Support;

/// <summary>
/// One end-to-end run per machine at a time: two runs (say, two `dotnet test` of the solution) would start two
/// clusters on the same fixed ports. An exclusive lock file serializes them; the operating system releases it
/// when the holder exits, even by a crash, so a stale lock cannot block later runs.
/// </summary>
internal sealed class MachineLock : IDisposable
{
    private readonly FileStream _file;

    private MachineLock(FileStream file) => _file = file;

    public static async Task<MachineLock> AcquireAsync(TimeSpan timeout)
    {
        var path = Path.Combine(Path.GetTempPath(), "orleansraft-end-to-end.lock");
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock(2) on Unix.
                return new MachineLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
            catch (IOException e)
            {
                throw new TimeoutException($"another end-to-end run held {path} for {timeout.TotalSeconds:0} s; it uses the same ports", e);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
