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

    public string? Get(string key) => _data.GetValueOrDefault(key);

    /// <summary>Applies the entry at <see cref="AppliedIndex"/> + 1; returns the client's answer for normal entries.</summary>
    public KvApplied? Apply(Entry entry)
    {
        if (entry.Index != AppliedIndex + 1)
            throw new InvalidOperationException($"Applied index {entry.Index} after {AppliedIndex}: entries must be applied in order, each exactly once.");
        AppliedIndex = entry.Index;
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
}
