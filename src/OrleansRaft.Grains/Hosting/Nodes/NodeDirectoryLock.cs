namespace OrleansRaft.Hosting.Nodes;

/// <summary>
/// Holds an exclusive lock on a node's data directory from the first stage of the silo's lifecycle to its end. Two
/// silos started on one data directory would be one node twice, writing the same peers' storage side by side: the
/// second fails to start instead, naming the directory. (.NET takes an advisory lock for FileShare.None on Unix.)
/// </summary>
internal sealed class NodeDirectoryLock(string nodeDataDirectory) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    public const string FileName = "node.lock";
    private FileStream? _lock;

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetFullPath(nodeDataDirectory), FileName);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(NodeDirectoryLock), ServiceLifecycleStage.First, _ => Acquire(), _ => Release());

    private Task Acquire()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        try
        {
            _lock = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"the node data directory {System.IO.Path.GetDirectoryName(Path)} is in use by another silo (its {FileName} is locked): one node, one silo", e);
        }
        return Task.CompletedTask;
    }

    private Task Release()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }
}
