using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Lab;

/// <summary>
/// One server's apply channel as the lab's applier reads it. Commands are 64-bit integers; a leader's no-op is
/// recorded as null, so that indexes keep their meaning (the lab's Raft has no no-op, ours shifts every index
/// after an election by one). Checks, as the lab does, that entries apply in order and that every server applies
/// the same command at each index.
/// </summary>
internal sealed class LabApplier(int server, LabConfig config) : IPeerApplication
{
    private long _lastApplied;

    public void Reset() => _lastApplied = 0;

    public void Apply(Entry entry)
    {
        if (entry.Index != _lastApplied + 1)
            throw new LabFailure($"server {server} apply out of order {entry.Index}");
        _lastApplied = entry.Index;
        long? value = entry.Type == EntryType.NoOp ? null : BitConverter.ToInt64(entry.Data);
        config.RecordApplied(server, entry.Index, value);
    }

    public void ServeRead(ReadState read) { }

    public void AbortRead(long context) { }

    public static byte[] Encode(long command) => BitConverter.GetBytes(command);
}

/// <summary>A lab assertion failed (the message is the lab's own wording).</summary>
internal sealed class LabFailure(string message) : Exception(message);
