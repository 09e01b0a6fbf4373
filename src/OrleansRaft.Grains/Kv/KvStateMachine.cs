using OrleansRaft.Core;
using OrleansRaft.Grains.Peers;
using OrleansRaft.Kv;

namespace OrleansRaft.Grains.Kv;

/// <summary>The key-value store one Raft group replicates, with its session table for exactly-once writes.</summary>
internal sealed class KvStateMachine : IRaftStateMachine
{
    private static readonly byte[] NoResult = [];
    private readonly Dictionary<string, string> _data = new(StringComparer.Ordinal);
    private readonly KvSessions _sessions;

    public KvStateMachine(long sessionExpiryEntries = KvLimits.DefaultSessionExpiryEntries) => _sessions = new KvSessions(sessionExpiryEntries);

    public int SessionCount => _sessions.ClientCount;

    public int Count => _data.Count;

    public byte[] Apply(Entry entry)
    {
        _sessions.Sweep(entry.Index);
        if (entry.Type != EntryType.Normal) return NoResult;
        KvCommand command;
        try
        {
            command = KvCodec.DecodeCommand(entry.Data);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            // A command every replica decodes the same way fails the same way everywhere: answer, don't crash.
            return KvCodec.Encode(new KvResult(KvStatus.InvalidArgument, $"undecodable command at index {entry.Index}: {e.Message}"));
        }
        return KvCodec.Encode(Apply(command, entry.Index));
    }

    public byte[] Query(byte[] query) => KvCodec.Encode(Read(KvCodec.DecodeCommand(query)));

    public byte[] TakeSnapshot() => KvSnapshotCodec.Encode(_data, _sessions.Export());

    public void Restore(byte[] snapshot)
    {
        var (data, sessions) = KvSnapshotCodec.Decode(snapshot);
        _data.Clear();
        foreach (var (key, value) in data) _data[key] = value;
        _sessions.Import(sessions);
    }

    internal KvResult Apply(KvCommand command, long index)
    {
        if (!command.IsWrite) return Read(command);
        if (command.Session is { } session && _sessions.Admit(session, index) is { } answer) return answer;
        var result = Execute(command);
        if (command.Session is { } s) _sessions.Record(s, index, result);
        return result;
    }

    private KvResult Read(KvCommand command) =>
        _data.TryGetValue(command.Key, out var value) ? new KvResult(KvStatus.Ok, value) : new KvResult(KvStatus.NotFound);

    private KvResult Execute(KvCommand command)
    {
        switch (command.Op)
        {
            case KvOp.Set:
                _data[command.Key] = command.Value ?? "";
                return new KvResult(KvStatus.Ok);
            case KvOp.Delete:
                return _data.Remove(command.Key) ? new KvResult(KvStatus.Ok) : new KvResult(KvStatus.NotFound);
            case KvOp.Append:
                _data[command.Key] = (_data.TryGetValue(command.Key, out var old) ? old : "") + command.Value;
                return new KvResult(KvStatus.Ok);
            case KvOp.CompareAndSet:
                var exists = _data.TryGetValue(command.Key, out var current);
                var matches = command.Expected is null ? !exists : exists && current == command.Expected;
                if (!matches) return new KvResult(KvStatus.NotSwapped, current);
                _data[command.Key] = command.Value ?? "";
                return new KvResult(KvStatus.Swapped);
            default:
                return new KvResult(KvStatus.InvalidArgument, $"unknown operation {command.Op}");
        }
    }
}
