using OrleansRaft.Core.Tests.Simulation.Invariants;
using OrleansRaft.Core.Tests.Simulation.Peers;

namespace OrleansRaft.Core.Tests.Lab;

/// <summary>
/// One server's apply channel as the lab's applier reads it. Commands are 64-bit integers; a leader's no-op is
/// recorded as null, so that indexes keep their meaning (the lab's Raft has no no-op, ours shifts every index
/// after an election by one). Checks, as the lab does, that entries apply in order and that every server applies
/// the same command at each index. Its snapshot is, like the lab's, the last applied index and every command
/// applied up to it; restoring one checks those commands against the other servers' as the lab's ingestSnap does.
/// </summary>
internal sealed class LabApplier(int server, LabConfig config) : IPeerApplication
{
    private readonly List<long?> _applied = [];

    public long AppliedIndex => _applied.Count;

    public ulong AppliedChain { get; private set; } = EntryHash.Empty;

    public void Reset()
    {
        _applied.Clear();
        AppliedChain = EntryHash.Empty;
    }

    public void Apply(Entry entry)
    {
        if (entry.Index != AppliedIndex + 1)
            throw new LabFailure($"server {server} apply out of order {entry.Index}");
        long? value = entry.Type == EntryType.NoOp ? null : BitConverter.ToInt64(entry.Data);
        _applied.Add(value);
        AppliedChain = EntryHash.Chain(AppliedChain, entry);
        config.RecordApplied(server, entry.Index, value);
    }

    public byte[] TakeSnapshot()
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer);
        writer.Write(AppliedChain);
        writer.Write(_applied.Count);
        foreach (var value in _applied)
        {
            writer.Write(value.HasValue);
            writer.Write(value ?? 0);
        }
        writer.Flush();
        return buffer.ToArray();
    }

    public void Restore(byte[] snapshot)
    {
        using var reader = new BinaryReader(new MemoryStream(snapshot));
        Reset();
        AppliedChain = reader.ReadUInt64();
        for (var n = reader.ReadInt32(); n > 0; n--)
        {
            var has = reader.ReadBoolean();
            var value = reader.ReadInt64();
            _applied.Add(has ? value : null);
            config.RecordApplied(server, _applied.Count, has ? value : null);
        }
    }

    public void ServeRead(ReadState read) { }

    public void AbortRead(long context) { }

    public static byte[] Encode(long command) => BitConverter.GetBytes(command);
}

/// <summary>A lab assertion failed (the message is the lab's own wording).</summary>
internal sealed class LabFailure(string message) : Exception(message);
