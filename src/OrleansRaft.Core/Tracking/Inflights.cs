namespace OrleansRaft.Core.Tracking;

/// <summary>Last indexes of the append messages in flight to one follower, oldest first: a bounded
/// ring so that a leader pipelines without flooding a slow follower.</summary>
internal sealed class Inflights(int capacity)
{
    private readonly long[] _buffer = new long[capacity];
    private int _start;

    public int Count { get; private set; }

    public bool Full => Count == _buffer.Length;

    public void Add(long lastIndex)
    {
        if (Full) throw new InvalidOperationException("Inflights is full.");
        _buffer[(_start + Count) % _buffer.Length] = lastIndex;
        Count++;
    }

    /// <summary>Forgets every message whose entries are all acknowledged (last index at or below <paramref name="index"/>).</summary>
    public void FreeLE(long index)
    {
        while (Count > 0 && _buffer[_start] <= index)
        {
            _start = (_start + 1) % _buffer.Length;
            Count--;
        }
    }

    public void Reset()
    {
        _start = 0;
        Count = 0;
    }
}
