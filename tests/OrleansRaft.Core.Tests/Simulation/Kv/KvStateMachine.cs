using OrleansRaft.Core.Tests.Simulation.Invariants;
using OrleansRaft.Testing.Linearizability.Kv;

namespace OrleansRaft.Core.Tests.Simulation.Kv;

/// <summary>The outcome of applying one log entry.</summary>
internal readonly record struct KvApplied(int ClientId, long Sequence, KvOutput Output);

/// <summary>
/// The replicated key-value store of the simulation, with a session table (thesis §6.3): for each client, the
/// last sequence number applied and its result. A command seen again returns the recorded result without
/// executing; an older one is stale (its client moved on) and is ignored. Every replica applies the same
/// entries in the same order, so every replica's table agrees.
/// </summary>
internal sealed class KvStateMachine
{
    private readonly Dictionary<string, string> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<int, (long Sequence, KvOutput Output)> _sessions = [];

    public long AppliedIndex { get; private set; }

    /// <summary>Prefix hash of the entries applied (see <see cref="EntryHash"/>); travels in snapshots.</summary>
    public ulong AppliedChain { get; private set; } = EntryHash.Empty;

    public string? Get(string key) => _data.GetValueOrDefault(key);

    /// <summary>Applies the entry at <see cref="AppliedIndex"/> + 1; returns the client's answer for normal entries.</summary>
    public KvApplied? Apply(Entry entry)
    {
        if (entry.Index != AppliedIndex + 1)
            throw new InvalidOperationException($"Applied index {entry.Index} after {AppliedIndex}: entries must be applied in order, each exactly once.");
        AppliedIndex = entry.Index;
        AppliedChain = EntryHash.Chain(AppliedChain, entry);
        if (entry.Type != EntryType.Normal) return null;

        var command = KvCommand.Decode(entry.Data);
        if (_sessions.TryGetValue(command.ClientId, out var session))
        {
            if (command.Sequence == session.Sequence) return new KvApplied(command.ClientId, command.Sequence, session.Output);
            if (command.Sequence < session.Sequence) return null;
        }
        var output = Execute(command.Input);
        _sessions[command.ClientId] = (command.Sequence, output);
        return new KvApplied(command.ClientId, command.Sequence, output);
    }

    private KvOutput Execute(KvInput input)
    {
        var current = Get(input.Key);
        switch (input.Kind)
        {
            case KvOpKind.Set:
                _data[input.Key] = input.Value!;
                return KvOutput.Done;
            case KvOpKind.Append:
                _data[input.Key] = current + input.Value;
                return KvOutput.Done;
            case KvOpKind.Cas when current == input.Expected:
                _data[input.Key] = input.Value!;
                return KvOutput.CasResult(true);
            case KvOpKind.Cas:
                return KvOutput.CasResult(false);
            default:
                throw new InvalidOperationException($"{input.Kind} does not go through the log.");
        }
    }

    /// <summary>Data and session table, in key order so that equal states encode to equal bytes.</summary>
    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer);
        writer.Write(AppliedIndex);
        writer.Write(AppliedChain);
        writer.Write(_data.Count);
        foreach (var (key, value) in _data.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.Write(key);
            writer.Write(value);
        }
        writer.Write(_sessions.Count);
        foreach (var (client, session) in _sessions.OrderBy(p => p.Key))
        {
            writer.Write(client);
            writer.Write(session.Sequence);
            writer.Write(session.Output.Value is not null);
            writer.Write(session.Output.Value ?? "");
            writer.Write(session.Output.Succeeded);
        }
        writer.Flush();
        return buffer.ToArray();
    }

    public static KvStateMachine Decode(byte[] snapshot)
    {
        using var reader = new BinaryReader(new MemoryStream(snapshot));
        var machine = new KvStateMachine { AppliedIndex = reader.ReadInt64(), AppliedChain = reader.ReadUInt64() };
        for (var n = reader.ReadInt32(); n > 0; n--) machine._data[reader.ReadString()] = reader.ReadString();
        for (var n = reader.ReadInt32(); n > 0; n--)
        {
            var client = reader.ReadInt32();
            var sequence = reader.ReadInt64();
            var hasValue = reader.ReadBoolean();
            var value = reader.ReadString();
            machine._sessions[client] = (sequence, new KvOutput(hasValue ? value : null, reader.ReadBoolean()));
        }
        if (reader.BaseStream.Position != snapshot.Length)
            throw new InvalidDataException($"Snapshot has {snapshot.Length - reader.BaseStream.Position} bytes after its end.");
        return machine;
    }
}
